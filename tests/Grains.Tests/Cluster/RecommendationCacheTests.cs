using Personalization.Grains.Recommendations;
using Personalization.Grains.Recommenders;
using Personalization.Grains.Users;
using Xunit;
using static Personalization.Grains.Tests.Cluster.GrainClusterFixture;

namespace Personalization.Grains.Tests.Cluster;

/// <summary>
/// The user grain's response cache as callers see it through the cluster: hits, single flight, invalidation by
/// events, the one-configuration-version policy, and what crosses a grain call (responses and failures). Each test
/// uses its own user, so backend calls are counted per user on the shared cluster.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class RecommendationCacheTests(GrainClusterFixture fixture) : IClassFixture<GrainClusterFixture>
{
    private IUserGrain User(string userId) => fixture.Client.GetGrain<IUserGrain>(UserGrain.Key(Namespace, userId));

    [Fact]
    public async Task Repeated_query_is_a_cache_hit_same_response_one_backend_call()
    {
        const string user = "cache-hit";
        var first = await User(user).GetRecommendationsAsync(fixture.Query(ForYou, user));

        // Prepared on each silo in turn: every silo computes the same key, so all hit the one cached entry.
        foreach (var silo in fixture.Cluster.GetActiveSilos())
        {
            var again = await User(user).GetRecommendationsAsync(fixture.Query(ForYou, user, on: silo));
            Assert.Equal(first.ETag, again.ETag);
            Assert.Equal(first.RecommendationId, again.RecommendationId);
            Assert.Equal(first.Bytes(), again.Bytes());
        }

        Assert.Equal(1, fixture.Backend.CallsFor(user));
        Assert.Equal(first.ETag, ResponseSerializer.StrongETag(first.Body));
    }

    [Fact]
    public async Task Concurrent_misses_for_one_key_make_one_backend_call()
    {
        const string user = "single-flight";
        var query = fixture.Query(ForYou, user);
        Task<CachedResponse>[] pending;
        fixture.Backend.Hold();
        try
        {
            pending = Enumerable.Range(0, 20).Select(_ => User(user).GetRecommendationsAsync(query).AsTask()).ToArray();
            await WaitUntilAsync(() => fixture.Backend.CallsFor(user) >= 1, "the first miss reaches the backend");

            // The grain interleaves these calls: without single flight every one of them would reach the backend while
            // the first is held. Give them time to arrive.
            await Task.Delay(500);
            Assert.Equal(1, fixture.Backend.CallsFor(user));
            Assert.DoesNotContain(pending, p => p.IsCompleted);
        }
        finally
        {
            fixture.Backend.Release();
        }

        var responses = await Task.WhenAll(pending);
        Assert.Single(responses.Select(r => r.ETag).Distinct());
        Assert.Equal(1, fixture.Backend.CallsFor(user));
    }

    [Fact]
    public async Task A_hit_is_served_while_a_miss_of_the_same_user_waits_for_the_backend()
    {
        const string user = "interleaved";
        var cachedQuery = fixture.Query(ForYou, user, numResults: 5);
        var cached = await User(user).GetRecommendationsAsync(cachedQuery);
        Task<CachedResponse> miss;
        fixture.Backend.Hold();
        try
        {
            miss = User(user).GetRecommendationsAsync(fixture.Query(ForYou, user, numResults: 3)).AsTask();
            await WaitUntilAsync(() => fixture.Backend.CallsFor(user) == 2, "the miss reaches the backend");

            // GetRecommendationsAsync interleaves: were it a plain turn, the hit would queue behind the held miss.
            var hit = await User(user).GetRecommendationsAsync(cachedQuery).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
            Assert.Equal(cached.ETag, hit.ETag);
            Assert.False(miss.IsCompleted);
        }
        finally
        {
            fixture.Backend.Release();
        }

        await miss;
        Assert.Equal(2, fixture.Backend.CallsFor(user));
    }

    [Fact]
    public async Task Recorded_events_clear_cached_responses()
    {
        const string user = "invalidated";
        var query = fixture.Query(ForYou, user);
        var before = await User(user).GetRecommendationsAsync(query);
        await User(user).GetRecommendationsAsync(query);
        Assert.Equal(1, fixture.Backend.CallsFor(user));

        await User(user).RecordEventsAsync(new UserEvents(Namespace, [new UserEvent("click", "i3", 1_700_000_000, null, null)], []));

        var after = await User(user).GetRecommendationsAsync(query);
        Assert.Equal(2, fixture.Backend.CallsFor(user));
        Assert.NotEqual(before.ETag, after.ETag);

        // The refetched answer is cached again.
        Assert.Equal(after.ETag, (await User(user).GetRecommendationsAsync(query)).ETag);
        Assert.Equal(2, fixture.Backend.CallsFor(user));
    }

    [Fact]
    public async Task Query_under_another_config_version_is_served_but_not_cached()
    {
        const string user = "other-version";
        var current = fixture.Query(ForYou, user);
        var cached = await User(user).GetRecommendationsAsync(current);
        Assert.Equal(1, fixture.Backend.CallsFor(user));

        var other = current.With(configVersion: "a-version-this-silo-does-not-run");
        var first = await User(user).GetRecommendationsAsync(other);
        var second = await User(user).GetRecommendationsAsync(other);
        Assert.Equal(3, fixture.Backend.CallsFor(user));
        Assert.True(first.Body.Length > 0);
        Assert.NotEqual(cached.ETag, first.ETag); // never the answer cached under the silo's own version
        Assert.NotEqual(first.ETag, second.ETag);

        // Entries are kept per version: the other version's queries cleared nothing, so the silo's version still hits.
        var again = await User(user).GetRecommendationsAsync(current);
        Assert.Equal(3, fixture.Backend.CallsFor(user));
        Assert.Equal(cached.ETag, again.ETag);
    }

    [Fact]
    public async Task Unknown_variation_fails_as_ConfigurationChanging_with_its_details_intact()
    {
        const string user = "unknown-variation";
        var good = fixture.Query(ForYou, user);
        var retired = good.With(key: good.Key with { Variation = "retired-variation" });

        var direct = await Assert.ThrowsAsync<RecommenderBackendException>(() => User(user).GetRecommendationsAsync(retired).AsTask());
        AssertConfigurationChanging(direct);

        // The same failure reaches a caller on another silo (the API silo that took the request) unchanged.
        var relay = await fixture.RelayAwayFromAsync(fixture.HostOf(User(user))!);
        var relayed = await Assert.ThrowsAsync<RecommenderBackendException>(() => relay.GetRecommendationsAsync(UserGrain.Key(Namespace, user), retired));
        AssertConfigurationChanging(relayed);

        // Failures are not cached, and never reached the backend; the grain still serves good queries.
        Assert.Equal(0, fixture.Backend.CallsFor(user));
        await User(user).GetRecommendationsAsync(good);
        Assert.Equal(1, fixture.Backend.CallsFor(user));

        static void AssertConfigurationChanging(RecommenderBackendException exception)
        {
            Assert.Equal(BackendFailure.Unavailable, exception.Failure);
            Assert.Equal("ConfigurationChanging", exception.Code);
            Assert.Equal(TimeSpan.FromSeconds(1), exception.RetryAfter);
            Assert.Contains("retired-variation", exception.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Cached_response_reaches_a_caller_on_another_silo_with_identical_bytes_and_etag()
    {
        const string user = "cross-silo";
        var query = fixture.Query(ForYou, user);
        var direct = await User(user).GetRecommendationsAsync(query);
        var host = fixture.HostOf(User(user))!;

        var relay = await fixture.RelayAwayFromAsync(host);
        var relayed = await relay.GetRecommendationsAsync(UserGrain.Key(Namespace, user), query);

        Assert.NotEqual(host, relayed.Silo);
        Assert.Equal(direct.ETag, relayed.ETag);
        Assert.Equal(relayed.ETag, relayed.ETagOfReceivedBytes);
        Assert.Equal(direct.Bytes(), relayed.Body);
        Assert.Equal(direct.RecommendationId, relayed.RecommendationId);
        Assert.Equal(direct.Variation, relayed.Variation);
        Assert.Equal(1, fixture.Backend.CallsFor(user));
    }
}
