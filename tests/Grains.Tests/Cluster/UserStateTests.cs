using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Personalization.Grains.Users;
using Xunit;
using static Personalization.Grains.Tests.Cluster.GrainClusterFixture;

namespace Personalization.Grains.Tests.Cluster;

/// <summary>
/// The user grain's write-behind: changes are coalesced into one storage write when the 1 s timer fires, pending
/// changes are written on deactivation, a write hanging on storage does not hold up the user's calls, and a grain with
/// nothing to save writes nothing.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class UserStateTests(GrainClusterFixture fixture) : IClassFixture<GrainClusterFixture>
{
    private const string StateName = "user";

    private IUserGrain User(string userId) => fixture.Client.GetGrain<IUserGrain>(UserGrain.Key(Namespace, userId));

    private static UserEvents Viewed(params string[] items) =>
        new(Namespace, items.Select((item, i) => new UserEvent("view", item, 1_700_000_000 + i, null, null)).ToArray(), []);

    [Fact]
    public async Task Many_changes_are_written_once_when_the_timer_fires()
    {
        var grain = User("coalesced");
        var id = grain.GetGrainId();
        await grain.GetRecentEventsAsync(); // activated (and its state read) before the clock starts

        await Task.WhenAll(Enumerable.Range(0, 10).Select(i => grain.RecordEventsAsync(Viewed($"i{i}"))));
        Assert.Equal(0, fixture.Store.WritesFor(StateName, id)); // no write per change

        await WaitUntilAsync(() => fixture.Store.WritesFor(StateName, id) >= 1, "the write-behind timer writes");
        await Task.Delay(TimeSpan.FromSeconds(1.5)); // a second timer, had one been left armed, would have fired by now
        Assert.Equal(1, fixture.Store.WritesFor(StateName, id));
        Assert.Equal(10, Stored(id).RecentEvents.Count);

        // The next change arms a new timer.
        await grain.RecordEventsAsync(Viewed("i10"));
        await WaitUntilAsync(() => fixture.Store.WritesFor(StateName, id) >= 2, "the next change is written");
        Assert.Equal(11, Stored(id).RecentEvents.Count);
    }

    [Fact]
    public async Task Pending_changes_are_flushed_on_deactivation()
    {
        var grain = User("flushed");
        var id = grain.GetGrainId();
        await grain.GetRecentEventsAsync();

        await grain.RecordEventsAsync(Viewed("i1", "i2", "i3"));
        await fixture.Cluster.DeactivateAsync(grain); // well within the timer's 1 s
        Assert.Equal(1, fixture.Store.WritesFor(StateName, id));
        Assert.Equal(["i1", "i2", "i3"], Stored(id).RecentEvents.Select(e => e.ItemId));
        Assert.Null(fixture.HostOf(grain));

        // A new activation reads it back; the old activation's timer is gone (no second write).
        Assert.Equal(3, (await grain.GetRecentEventsAsync()).Length);
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        Assert.Equal(1, fixture.Store.WritesFor(StateName, id));
    }

    [Fact]
    public async Task A_hanging_write_does_not_stall_the_users_calls_and_is_retried_once_it_completes()
    {
        var grain = User("outage");
        var id = grain.GetGrainId();
        await grain.GetRecentEventsAsync();

        fixture.Store.Writes.Hold(); // storage outage: writes hang until released
        try
        {
            await grain.RecordEventsAsync(Viewed("i1"));
            await Task.Delay(TimeSpan.FromSeconds(1.5)); // the timer fired; its write hangs

            // The user's calls still run while the write is in flight, and their changes are kept.
            var calls = Task.WhenAll(grain.RecordEventsAsync(Viewed("i2")), grain.GetRecentEventsAsync());
            Assert.Same(calls, await Task.WhenAny(calls, Task.Delay(TimeSpan.FromSeconds(5))));
            Assert.Equal(2, (await grain.GetRecentEventsAsync()).Length);
            Assert.Equal(0, fixture.Store.WritesFor(StateName, id));
        }
        finally
        {
            fixture.Store.Writes.Release();
        }

        // The held write lands, then the change made meanwhile is written by the timer re-armed after it.
        await WaitUntilAsync(() => fixture.Store.WritesFor(StateName, id) >= 2, "the change made during the write is written next");
        Assert.Equal(["i1", "i2"], Stored(id).RecentEvents.Select(e => e.ItemId));
    }

    [Fact]
    public async Task A_write_refused_because_another_activation_wrote_deactivates_the_grain_which_then_reads_that_state()
    {
        var grain = User("conflict");
        var id = grain.GetGrainId();
        await grain.RecordEventsAsync(Viewed("mine-1"));
        await WaitUntilAsync(() => fixture.Store.WritesFor(StateName, id) >= 1, "the first change is written");

        // Another activation (a split brain) writes the state: the record's ETag is no longer this activation's.
        var theirs = new UserState();
        theirs.RecentEvents.Add(Viewed("theirs").Events[0]);
        var serializer = fixture.AnySilo().GetRequiredService<Serializer>();
        fixture.Store.Records[(StateName, id.ToString())] = new(serializer.SerializeToArray(theirs), "theirs");

        await grain.RecordEventsAsync(Viewed("mine-2"));
        await WaitUntilAsync(() => fixture.HostOf(grain) is null, "the activation whose write was refused deactivates");
        Assert.Equal(1, fixture.Store.WritesFor(StateName, id)); // neither retried nor overwritten
        Assert.Equal(["theirs"], (await grain.GetRecentEventsAsync()).Select(e => e.ItemId));
    }

    [Fact]
    public async Task A_grain_with_nothing_to_save_never_writes()
    {
        var grain = User("read-only");
        await grain.GetRecommendationsAsync(fixture.Query(ForYou, "read-only")); // no experiment: nothing to persist
        await fixture.Cluster.DeactivateAsync(grain);
        Assert.Equal(0, fixture.Store.WritesFor(StateName, grain.GetGrainId()));
    }

    private UserState Stored(GrainId id) =>
        fixture.AnySilo().GetRequiredService<Serializer>().Deserialize<UserState>(fixture.Store.Records[(StateName, id.ToString())].Data)!;
}
