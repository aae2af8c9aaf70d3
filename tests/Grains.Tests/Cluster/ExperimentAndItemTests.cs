using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Personalization.Grains.Catalog;
using Personalization.Grains.Experiments;
using Personalization.Grains.Items;
using Personalization.Grains.Users;
using Xunit;
using static Personalization.Grains.Tests.Cluster.GrainClusterFixture;

namespace Personalization.Grains.Tests.Cluster;

/// <summary>
/// Experiment counting across grains (user grains report exposures and conversions to the experiment's grain) and
/// item metadata served by the stateless item grain from the silo's catalog replica.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ExperimentAndItemTests(GrainClusterFixture fixture) : IClassFixture<GrainClusterFixture>
{
    private IUserGrain User(string userId) => fixture.Client.GetGrain<IUserGrain>(UserGrain.Key(Namespace, userId));

    private IExperimentGrain Experiment => fixture.Client.GetGrain<IExperimentGrain>(ExperimentGrain.Key(Namespace, Feature));

    [Fact]
    public async Task Exposure_is_counted_once_per_user_in_the_arm_served()
    {
        var before = await Experiment.GetCountersAsync(Metric);
        var expected = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var user in Enumerable.Range(0, 10).Select(i => $"exposed-{i}"))
        {
            var query = fixture.Query(AbTest, user);
            var response = await User(user).GetRecommendationsAsync(query);
            Assert.Equal(query.Key.Variation, response.Variation);
            Assert.Equal(Feature, response.MatchedExperimentFeature);
            expected[query.Key.Variation] = expected.GetValueOrDefault(query.Key.Variation) + 1;

            // Served again: from the cache, refetched after events, and under another key. Still one exposure.
            await User(user).GetRecommendationsAsync(query);
            await User(user).RecordEventsAsync(new UserEvents(Namespace, [new UserEvent("view", "i1", 1_700_000_000, null, null)], []));
            await User(user).GetRecommendationsAsync(query);
            await User(user).GetRecommendationsAsync(fixture.Query(AbTest, user, numResults: 3));
        }

        var after = await Experiment.GetCountersAsync(Metric);
        foreach (var (arm, users) in expected)
        {
            Assert.Equal(users, after[arm].Exposures - before[arm].Exposures);
        }

        Assert.Equal(10, after.Arms.Values.Sum(t => t.Exposures) - before.Arms.Values.Sum(t => t.Exposures));
    }

    [Fact]
    public async Task An_arm_that_failed_and_was_answered_by_its_fallback_counts_no_exposure()
    {
        var before = await Experiment.GetCountersAsync(Metric);
        lock (fixture.Backend.FailingVariations)
        {
            fixture.Backend.FailingVariations.UnionWith(["personal", "popular"]);
        }

        try
        {
            foreach (var user in Enumerable.Range(0, 6).Select(i => $"fallback-exposed-{i}"))
            {
                var response = await User(user).GetRecommendationsAsync(fixture.Query(AbTest, user));
                Assert.Equal("fallback:1:builtin", response.Source);
                Assert.Null(response.MatchedExperimentFeature);
            }
        }
        finally
        {
            lock (fixture.Backend.FailingVariations)
            {
                fixture.Backend.FailingVariations.Clear();
            }
        }

        var after = await Experiment.GetCountersAsync(Metric);
        Assert.Equal(before.Arms.Values.Sum(t => t.Exposures), after.Arms.Values.Sum(t => t.Exposures));

        // Once the arm serves again (after the fallback's short max-age), the user is exposed to it.
        var recovered = await User("fallback-exposed-0").GetRecommendationsAsync(fixture.Query(AbTest, "fallback-exposed-0", numResults: 4));
        Assert.Equal("primary", recovered.Source);
        Assert.Equal(Feature, recovered.MatchedExperimentFeature);
        var exposed = await Experiment.GetCountersAsync(Metric);
        Assert.Equal(after.Arms.Values.Sum(t => t.Exposures) + 1, exposed.Arms.Values.Sum(t => t.Exposures));
    }

    [Fact]
    public void The_quota_guard_divides_by_the_active_silos_of_Orleans_membership()
    {
        foreach (var silo in fixture.Cluster.GetActiveSilos())
        {
            var live = fixture.Services(silo).GetRequiredService<Personalization.Grains.Recommenders.Resilience.ILiveSilos>();
            Assert.IsType<Personalization.Grains.Recommenders.Resilience.MembershipLiveSilos>(live);
            Assert.Equal(SiloCount, live.Count);
        }
    }

    [Fact]
    public async Task Conversions_are_credited_to_the_arm_the_user_was_exposed_to()
    {
        var before = await Experiment.GetCountersAsync(Metric);
        var arms = new Dictionary<string, string>(StringComparer.Ordinal);
        var servedIds = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var user in Enumerable.Range(0, 6).Select(i => $"converting-{i}"))
        {
            var query = fixture.Query(AbTest, user);
            var response = await User(user).GetRecommendationsAsync(query);
            arms[user] = query.Key.Variation;
            servedIds[user] = response.RecommendationId!;
        }

        // converting-0..2 convert explicitly (converting-0 twice: one converted user, both values summed);
        // converting-3 quotes the served recommendationId (the experiment's first metric, the event's value).
        var expected = new Dictionary<string, (long Users, double Value)>(StringComparer.Ordinal);
        void Expect(string user, long users, double value)
        {
            var current = expected.GetValueOrDefault(arms[user]);
            expected[arms[user]] = (current.Users + users, current.Value + value);
        }

        foreach (var user in new[] { "converting-0", "converting-1", "converting-2" })
        {
            await User(user).RecordEventsAsync(new UserEvents(Namespace, [], [new ExperimentConversionRecord(Feature, Metric, 2.5)]));
            Expect(user, 1, 2.5);
        }

        await User("converting-0").RecordEventsAsync(new UserEvents(Namespace, [], [new ExperimentConversionRecord(Feature, Metric, 1)]));
        Expect("converting-0", 0, 1);
        await User("converting-3").RecordEventsAsync(new UserEvents(
            Namespace, [new UserEvent("purchase", "i2", 1_700_000_000, servedIds["converting-3"], 7)], []));
        Expect("converting-3", 1, 7);

        // A user never exposed to the experiment converts nothing.
        await User("never-exposed").RecordEventsAsync(new UserEvents(Namespace, [], [new ExperimentConversionRecord(Feature, Metric, 100)]));

        var after = await Experiment.GetCountersAsync(Metric);
        foreach (var arm in after.Arms.Keys.Union(expected.Keys))
        {
            var (users, value) = expected.GetValueOrDefault(arm);
            Assert.Equal(users, after[arm].Conversions - before[arm].Conversions);
            Assert.Equal(value, after[arm].ConversionValue - before[arm].ConversionValue, 9);
        }
    }

    [Fact]
    public async Task Item_grain_returns_the_catalog_metadata()
    {
        var catalog = fixture.AnySilo().GetRequiredService<CatalogStore>().Get(Namespace)!;
        Assert.True(catalog.Items.TryGet("i7", out var item));

        var metadata = await fixture.Client.GetGrain<IItemGrain>(ItemGrain.Key(Namespace, "i7")).GetMetadataAsync();

        Assert.Equal(item.MetadataJson.ToArray(), metadata.Json.ToArray());
        Assert.Contains("Item number 7", Encoding.UTF8.GetString(metadata.Json.Span), StringComparison.Ordinal);
        Assert.Equal(catalog.Version, metadata.CatalogVersion);
    }

    [Fact]
    public async Task Item_grain_returns_empty_metadata_for_unknown_items_and_namespaces()
    {
        var catalog = fixture.AnySilo().GetRequiredService<CatalogStore>().Get(Namespace)!;

        var unknownItem = await fixture.Client.GetGrain<IItemGrain>(ItemGrain.Key(Namespace, "no-such-item")).GetMetadataAsync();
        Assert.True(unknownItem.Json.IsEmpty);
        Assert.Equal(catalog.Version, unknownItem.CatalogVersion);

        var unknownNamespace = await fixture.Client.GetGrain<IItemGrain>(ItemGrain.Key("no-such-namespace", "i7")).GetMetadataAsync();
        Assert.True(unknownNamespace.Json.IsEmpty);
        Assert.Equal(ItemMetadata.Missing.CatalogVersion, unknownNamespace.CatalogVersion);
    }
}
