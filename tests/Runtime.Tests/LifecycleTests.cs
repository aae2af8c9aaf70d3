using Personalization.Runtime.Tests.Grains;
using Personalization.TestSupport;

namespace Personalization.Runtime.Tests;

public sealed class LifecycleTests
{
    [Fact]
    public async Task A_failed_activation_fails_the_call_and_the_next_call_gets_a_fresh_activation()
    {
        var probe = new Probe { ActivationFailuresLeft = 1 };
        await using var silo = await Silos.StartAsync(probe);
        var grain = silo.GrainFactory.GetGrain<ILifecycleGrain>("f");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => grain.GetActivationNumberAsync()).Within();

        Assert.Equal("activation failed on purpose", error.Message);
        Assert.False(silo.Runtime.IsActive(new GrainId("lifecycle", "f")));
        Assert.Equal(1, await grain.GetActivationNumberAsync().Within());
    }

    [Fact]
    public async Task A_call_to_a_deactivating_grain_waits_and_goes_to_a_fresh_activation()
    {
        var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var probe = new Probe { HoldDeactivation = hold.Task };
        await using var silo = await Silos.StartAsync(probe);
        var grain = silo.GrainFactory.GetGrain<ILifecycleGrain>("d");
        Assert.Equal(1, await grain.GetActivationNumberAsync());

        var deactivation = silo.DeactivateAsync<ILifecycleGrain>("d");
        var call = grain.GetActivationNumberAsync();
        Assert.False(call.IsCompleted);

        probe.HoldDeactivation = null;
        hold.SetResult();
        await deactivation.Within();
        Assert.Equal(2, await call.Within());
    }

    [Fact]
    public async Task Deactivate_on_idle_runs_after_the_current_call()
    {
        var probe = new Probe();
        await using var silo = await Silos.StartAsync(probe);
        var grain = silo.GrainFactory.GetGrain<ICounterGrain>("idle");
        await grain.IncrementAsync();

        await grain.DeactivateAsync();
        await probe.Deactivated("idle").Within();

        Assert.Equal(0, await grain.GetAsync()); // fresh activation, no persisted state
        Assert.Contains("deactivated idle ApplicationRequested", probe.Events);
    }

    [Fact]
    public async Task Timer_ticks_never_overlap_and_stop_with_the_activation()
    {
        var clock = new ManualTimeProvider();
        var probe = new Probe();
        await using var silo = await Silos.StartAsync(probe, clock);
        var grain = silo.GrainFactory.GetGrain<ILifecycleGrain>("t");
        var ticks = Enumerable.Range(0, 5).Select(_ => new Signal()).ToArray();
        var period = TimeSpan.FromSeconds(10);
        await grain.StartTimerAsync(period, ticks);

        clock.Advance(period);
        await ticks[0].Entered.Task.Within();
        clock.Advance(period * 10); // the first tick is still running: no second one
        Assert.False(ticks[1].Entered.Task.IsCompleted);

        ticks[0].Release.SetResult();
        Assert.Equal(1, await grain.TicksStartedAsync().Within()); // a turn after the tick: the timer is re-armed
        clock.Advance(period);
        await ticks[1].Entered.Task.Within();
        ticks[1].Release.SetResult();
        Assert.Equal(2, await grain.TicksStartedAsync().Within());
        Assert.Equal(1, await grain.MaxConcurrentTicksAsync());

        await silo.DeactivateAsync<ILifecycleGrain>("t").Within();
        clock.Advance(period * 5);
        Assert.False(ticks[2].Entered.Task.IsCompleted);
    }

    [Fact]
    public async Task Idle_activations_are_collected_after_the_collection_age()
    {
        var clock = new ManualTimeProvider();
        var probe = new Probe();
        await using var silo = await Silos.StartAsync(probe, clock, o =>
        {
            o.CollectionAge = TimeSpan.FromMinutes(10);
            o.CollectionQuantum = TimeSpan.FromMinutes(1);
        });
        var a = silo.GrainFactory.GetGrain<ICounterGrain>("a");
        var b = silo.GrainFactory.GetGrain<ICounterGrain>("b");
        await a.IncrementAsync();
        await b.IncrementAsync();

        clock.Advance(TimeSpan.FromMinutes(5));
        await b.IncrementAsync();
        clock.Advance(TimeSpan.FromMinutes(6));

        await probe.Deactivated("a").Within();
        Assert.False(silo.Runtime.IsActive(new GrainId("CounterGrain", "a")));
        Assert.True(silo.Runtime.IsActive(new GrainId("CounterGrain", "b")));
        Assert.Contains("deactivated a ActivationIdle", probe.Events);

        clock.Advance(TimeSpan.FromMinutes(5));
        await probe.Deactivated("b").Within();
        Assert.Equal(0, silo.Runtime.GetLiveActivationCount("CounterGrain"));
    }

    [Fact]
    public async Task Over_the_cap_the_least_recently_used_activation_goes()
    {
        var clock = new ManualTimeProvider();
        var probe = new Probe();
        await using var silo = await Silos.StartAsync(probe, clock, o => o.MaxActivationsByGrainType["CounterGrain"] = 3);

        foreach (var key in new[] { "k1", "k2", "k3", "k1" })
        {
            await silo.GrainFactory.GetGrain<ICounterGrain>(key).IncrementAsync();
            clock.Advance(TimeSpan.FromSeconds(1));
        }

        await silo.GrainFactory.GetGrain<ICounterGrain>("k4").IncrementAsync();
        await silo.Runtime.Collector.LastCapacitySweep.Within();
        await probe.Deactivated("k2").Within();

        Assert.Equal(3, silo.Runtime.GetLiveActivationCount("CounterGrain"));
        Assert.All(new[] { "k1", "k3", "k4" }, key => Assert.True(silo.Runtime.IsActive(new GrainId("CounterGrain", key))));
        Assert.Contains("deactivated k2 CapacityLimit", probe.Events);
    }

    [Fact]
    public async Task Stopping_the_silo_deactivates_everything()
    {
        var probe = new Probe();
        await using var silo = await Silos.StartAsync(probe);
        await silo.GrainFactory.GetGrain<ICounterGrain>("x").IncrementAsync();
        await silo.GrainFactory.GetGrain<ICounterGrain>("y").IncrementAsync();

        await silo.StopAsync().Within();

        Assert.Contains("deactivated x ShuttingDown", probe.Events);
        Assert.Contains("deactivated y ShuttingDown", probe.Events);
        Assert.Throws<ObjectDisposedException>(() => silo.GrainFactory.GetGrain<ICounterGrain>("x"));
    }

    [Fact]
    public async Task A_deactivation_that_hangs_is_abandoned_after_the_timeout()
    {
        var clock = new ManualTimeProvider();
        var probe = new Probe { HoldDeactivation = new TaskCompletionSource().Task };
        await using var silo = await Silos.StartAsync(probe, clock, o => o.DeactivationTimeout = TimeSpan.FromSeconds(5));
        var grain = silo.GrainFactory.GetGrain<ILifecycleGrain>("hang");
        Assert.Equal(1, await grain.GetActivationNumberAsync());

        var deactivation = silo.DeactivateAsync<ILifecycleGrain>("hang");
        Assert.False(deactivation.IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(5));

        await deactivation.Within();
        probe.HoldDeactivation = null;
        Assert.Equal(2, await grain.GetActivationNumberAsync().Within());
    }

    [Fact]
    public async Task Concurrent_first_calls_share_one_activation()
    {
        var probe = new Probe();
        await using var silo = await Silos.StartAsync(probe);

        var numbers = await Task.WhenAll(Enumerable.Range(0, 200)
            .Select(_ => Task.Run(() => silo.GrainFactory.GetGrain<ILifecycleGrain>("many").GetActivationNumberAsync()))).Within();

        Assert.All(numbers, n => Assert.Equal(1, n));
        Assert.Equal(1, silo.Runtime.GetLiveActivationCount("lifecycle"));
    }

    [Fact]
    public async Task Calls_waiting_for_a_failed_activation_all_get_its_exception()
    {
        var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var probe = new Probe { ActivationFailuresLeft = 1, HoldActivation = hold.Task };
        await using var silo = await Silos.StartAsync(probe);
        var grain = silo.GrainFactory.GetGrain<ILifecycleGrain>("fails");
        var calls = Enumerable.Range(0, 5).Select(_ => grain.GetActivationNumberAsync()).ToList();
        Assert.All(calls, c => Assert.False(c.IsCompleted));

        hold.SetResult();

        var errors = await Task.WhenAll(calls.Select(c => Assert.ThrowsAsync<InvalidOperationException>(() => c))).Within();
        Assert.All(errors, e => Assert.Same(errors[0], e));
        Assert.Equal(1, await grain.GetActivationNumberAsync().Within());
    }
}
