using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;
using Orleans.Serialization;
using Personalization.Grains.Experiments;
using Personalization.Grains.Users;
using Xunit;
using static Personalization.Grains.Tests.Cluster.GrainClusterFixture;

namespace Personalization.Grains.Tests.Cluster;

/// <summary>
/// A user's state survives losing the silo that hosts the grain: a graceful stop flushes on deactivation, and what
/// was written before a crash is read back by the activation on another silo. These tests take silos away, so the
/// class has a cluster of its own.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class FailoverTests(GrainClusterFixture fixture) : IClassFixture<GrainClusterFixture>
{
    private const string StateName = "user";

    private IUserGrain User(string userId) => fixture.Client.GetGrain<IUserGrain>(UserGrain.Key(Namespace, userId));

    private static UserEvents Viewed(params string[] items) =>
        new(Namespace, items.Select((item, i) => new UserEvent("view", item, 1_700_000_000 + i, null, null)).ToArray(), []);

    [Fact]
    public async Task State_survives_a_graceful_stop_of_the_hosting_silo_and_reactivates_elsewhere()
    {
        const string user = "stopped";
        var grain = User(user);
        var experiment = fixture.Client.GetGrain<IExperimentGrain>(ExperimentGrain.Key(Namespace, Feature));
        var exposedBefore = (await experiment.GetCountersAsync(Metric)).Arms.Values.Sum(t => t.Exposures);
        await grain.GetRecommendationsAsync(fixture.Query(AbTest, user)); // an exposure, kept in the user's state
        await grain.RecordEventsAsync(Viewed("i1", "i2"));

        // Stopped at once: the changes are still pending in the write-behind, so only the deactivation flush saves them.
        var host = fixture.HostOf(grain)!;
        await fixture.Cluster.StopSiloAsync(fixture.Cluster.Silos.Single(s => s.SiloAddress.Equals(host)));

        Assert.Equal(["i1", "i2"], (await grain.GetRecentEventsAsync()).Select(e => e.ItemId));
        var newHost = fixture.HostOf(grain);
        Assert.NotNull(newHost);
        Assert.NotEqual(host, newHost);

        // The user still counts as exposed: served again (a miss on the new activation), no second exposure.
        await grain.GetRecommendationsAsync(fixture.Query(AbTest, user));
        Assert.Equal(exposedBefore + 1, (await experiment.GetCountersAsync(Metric)).Arms.Values.Sum(t => t.Exposures));
    }

    [Fact]
    public async Task State_written_before_the_hosting_silo_is_killed_survives()
    {
        var grain = User("killed");
        var id = grain.GetGrainId();
        await grain.RecordEventsAsync(Viewed("i4", "i5"));
        await WaitUntilAsync(() => fixture.Store.WritesFor(StateName, id) >= 1, "the write-behind timer writes");

        var host = fixture.HostOf(grain)!;
        await fixture.Cluster.KillSiloAsync(fixture.Cluster.Silos.Single(s => s.SiloAddress.Equals(host)));

        Assert.Equal(["i4", "i5"], (await RetryWhileSiloUnavailableAsync(grain.GetRecentEventsAsync)).Select(e => e.ItemId));
        var newHost = fixture.HostOf(grain);
        Assert.NotNull(newHost);
        Assert.NotEqual(host, newHost);

        // The new activation holds the stored ETag: its next write is accepted (no InconsistentStateException).
        await grain.RecordEventsAsync(Viewed("i6"));
        await WaitUntilAsync(() => fixture.Store.WritesFor(StateName, id) >= 2, "the new activation writes");
        var stored = fixture.AnySilo().GetRequiredService<Serializer>().Deserialize<UserState>(fixture.Store.Records[(StateName, id.ToString())].Data)!;
        Assert.Equal(3, stored.RecentEvents.Count);
    }

    /// <summary>
    /// Right after a crash, a call may still be routed to the dead silo until the directory catches up; Orleans'
    /// own recovery, not ours, so the test waits it out (bounded).
    /// </summary>
    private static async Task<T> RetryWhileSiloUnavailableAsync<T>(Func<Task<T>> call)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            try
            {
                return await call();
            }
            catch (Exception exception) when (exception is SiloUnavailableException or OrleansMessageRejectionException or TimeoutException
                && DateTime.UtcNow < deadline)
            {
                await Task.Delay(200);
            }
        }
    }
}
