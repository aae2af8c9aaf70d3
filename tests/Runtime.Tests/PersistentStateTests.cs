using Personalization.Runtime.Storage.Memory;
using Personalization.Runtime.Tests.Grains;

namespace Personalization.Runtime.Tests;

public sealed class PersistentStateTests
{
    [Fact]
    public async Task State_is_loaded_before_activation_and_survives_a_restart()
    {
        await using var silo = await Silos.StartAsync(new Probe());
        var grain = silo.GrainFactory.GetGrain<IStateGrain>("u1");
        Assert.Null(await grain.GetAsync());
        await grain.SetAsync("hello");

        await silo.RestartAsync().Within();

        Assert.Equal("hello", await silo.GrainFactory.GetGrain<IStateGrain>("u1").GetAsync());
        Assert.Equal(1, silo.Store.Count);
    }

    [Fact]
    public async Task A_stale_write_throws_and_the_next_call_reloads()
    {
        var store = new MemoryGrainStore();
        await using var first = await Silos.StartAsync(new Probe(), store: store);
        await using var second = await Silos.StartAsync(new Probe(), store: store);
        var mine = first.GrainFactory.GetGrain<IStateGrain>("u");
        var theirs = second.GrainFactory.GetGrain<IStateGrain>("u");
        await mine.SetAsync("a");
        await theirs.SetAsync("b"); // loaded "a" with its ETag, wrote "b"

        var conflict = await Assert.ThrowsAsync<InconsistentStateException>(() => mine.SetAsync("c"));

        Assert.Contains("changed by another writer", conflict.Message);
        Assert.Equal("b", await mine.GetAsync().Within()); // the activation was dropped and reloaded
        await mine.SetAsync("c");
        Assert.Equal("c", await first.GrainFactory.GetGrain<IStateGrain>("u").GetAsync());
    }

    [Fact]
    public async Task Clear_removes_the_record()
    {
        await using var silo = await Silos.StartAsync(new Probe());
        var grain = silo.GrainFactory.GetGrain<IStateGrain>("c");
        await grain.SetAsync("x");
        Assert.NotNull(await grain.GetEtagAsync());

        await grain.ClearAsync();

        Assert.Null(await grain.GetEtagAsync());
        Assert.Equal(0, silo.Store.Count);
        await silo.RestartAsync();
        Assert.Null(await silo.GrainFactory.GetGrain<IStateGrain>("c").GetAsync());
    }
}
