using Personalization.Runtime.Tests.Grains;

namespace Personalization.Runtime.Tests;

public sealed class TurnTests
{
    [Fact]
    public async Task Concurrent_calls_never_overlap_and_lose_nothing()
    {
        var probe = new Probe();
        await using var silo = await Silos.StartAsync(probe);
        var counter = silo.GrainFactory.GetGrain<ICounterGrain>("c");

        var results = await Task.WhenAll(Enumerable.Range(0, 1000).Select(_ => Task.Run(() => counter.IncrementAsync()))).Within();

        Assert.Equal(1000, await counter.GetAsync());
        Assert.Equal(Enumerable.Range(1, 1000), results.Order());
        Assert.Equal(0, await counter.OverlapsSeenAsync());
        Assert.Equal(1, silo.Runtime.GetLiveActivationCount("CounterGrain"));
    }

    [Fact]
    public async Task References_reach_the_same_activation_and_pass_every_argument()
    {
        var probe = new Probe();
        await using var silo = await Silos.StartAsync(probe);
        using var cts = new CancellationTokenSource();

        await silo.GrainFactory.GetGrain<ICounterGrain>("k").IncrementAsync();
        var other = silo.GrainFactory.GetGrain<ICounterGrain>("k");

        Assert.Equal(1, await other.GetAsync());
        Assert.Equal(42, await other.GetCachedAsync());
        Assert.Equal("p:7:k:True", await other.DescribeAsync("p", 7, cts.Token));
        Assert.Equal(new GrainId("CounterGrain", "k"), ((CodeGeneration.GrainReference)other).GrainId);
    }

    [Fact]
    public async Task Read_only_calls_overlap_and_a_write_waits_for_them()
    {
        await using var silo = await Silos.StartAsync(new Probe());
        var grain = silo.GrainFactory.GetGrain<IGateGrain>("g");
        var (read1, read2, write, read3) = (new Signal(), new Signal(), new Signal(), new Signal());

        var r1 = grain.ReadAsync(read1);
        await read1.Entered.Task.Within();
        var r2 = grain.ReadAsync(read2);
        await read2.Entered.Task.Within(); // both reads hold the turn together

        var w = grain.WriteAsync(write);
        var r3 = grain.ReadAsync(read3); // queued behind the write: FIFO
        Assert.False(write.Entered.Task.IsCompleted);

        read1.Release.SetResult();
        await r1.Within();
        Assert.False(write.Entered.Task.IsCompleted);
        read2.Release.SetResult();
        await write.Entered.Task.Within();
        Assert.False(read3.Entered.Task.IsCompleted);

        write.Release.SetResult();
        await w.Within();
        await read3.Entered.Task.Within();
        read3.Release.SetResult();
        await Task.WhenAll(r2, r3).Within();
    }

    [Fact]
    public async Task Always_interleave_runs_while_an_exclusive_call_holds_the_turn()
    {
        await using var silo = await Silos.StartAsync(new Probe());
        var grain = silo.GrainFactory.GetGrain<IGateGrain>("g");
        var write = new Signal();

        var w = grain.WriteAsync(write);
        await write.Entered.Task.Within();

        Assert.Equal("pong g", await grain.PingAsync().Within());
        var exclusive = grain.ExclusivePingAsync();
        Assert.False(exclusive.IsCompleted);

        write.Release.SetResult();
        Assert.Equal("exclusive pong g", await exclusive.Within());
        await w;
    }

    [Fact]
    public async Task A_grain_calling_itself_fails_fast_unless_the_method_interleaves()
    {
        await using var silo = await Silos.StartAsync(new Probe());
        var grain = silo.GrainFactory.GetGrain<IGateGrain>("self");

        var exclusive = await Assert.ThrowsAsync<GrainCallCycleException>(() => grain.CallSelfAsync()).Within();
        await Assert.ThrowsAsync<GrainCallCycleException>(() => grain.CallSelfReadOnlyAsync()).Within();
        Assert.Equal("pong self", await grain.CallSelfInterleavedAsync().Within());
        Assert.Contains("gate", exclusive.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_call_chain_back_into_a_grain_fails_fast_and_other_grains_work()
    {
        await using var silo = await Silos.StartAsync(new Probe());
        var a = silo.GrainFactory.GetGrain<IGateGrain>("a");

        var error = await Assert.ThrowsAsync<GrainCallCycleException>(() => a.CallThroughAsync("b")).Within();

        Assert.Contains("GateGrain/a -> GateGrain/b -> GateGrain/a", error.Message);
        Assert.Equal("exclusive pong c", await silo.GrainFactory.GetGrain<IGateGrain>("b").CallBackAsync("c").Within());
        Assert.Equal("exclusive pong a", await a.ExclusivePingAsync().Within()); // the turn was released
    }

    [Fact]
    public async Task Exceptions_reach_the_caller_unchanged()
    {
        await using var silo = await Silos.StartAsync(new Probe());
        var grain = silo.GrainFactory.GetGrain<IGateGrain>("e");
        var async = new ArgumentException("async");
        var value = new FormatException("value");
        var sync = new KeyNotFoundException("sync");

        Assert.Same(async, await Assert.ThrowsAsync<ArgumentException>(() => grain.ThrowAsync(async)));
        Assert.Same(value, await Assert.ThrowsAsync<FormatException>(() => grain.ThrowValueAsync(value).AsTask()));
        var faulted = grain.ThrowSynchronously(sync); // a faulted task, not a synchronous throw
        Assert.Same(sync, await Assert.ThrowsAsync<KeyNotFoundException>(() => faulted));
        Assert.Equal("exclusive pong e", await grain.ExclusivePingAsync());
    }

    [Fact]
    public async Task A_queued_call_whose_token_is_cancelled_leaves_the_queue_without_running()
    {
        await using var silo = await Silos.StartAsync(new Probe());
        var grain = silo.GrainFactory.GetGrain<IGateGrain>("cancel");
        var write = new Signal();
        using var cts = new CancellationTokenSource();
        var w = grain.WriteAsync(write);
        await write.Entered.Task.Within();

        var cancelled = grain.PingWithTokenAsync("cancelled-call", cts.Token);
        var later = grain.PingWithTokenAsync("later-call", CancellationToken.None);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled).Within();
        Assert.False(later.IsCompleted);
        write.Release.SetResult();
        Assert.Equal("later-call", await later.Within());
        await w;
        Assert.DoesNotContain("cancelled-call", GateGrain.Calls);
    }
}
