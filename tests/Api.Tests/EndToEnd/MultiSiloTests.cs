using System.Net;
using System.Text.Json.Nodes;
using Personalization.Api.Tests.Cluster;
using Personalization.Grains.Configuration;
using Personalization.Grains.Users;
using Xunit;

namespace Personalization.Api.Tests.EndToEnd;

/// <summary>
/// Several Orleans silos in one cluster, each answering HTTP: a user's grain lives on one silo and every silo reaches it
/// by a grain call, so caching, invalidation and experiments agree whichever silo took the request.
/// </summary>
public sealed class MultiSiloTests
{
    private const string Picks = "/recommend-items/fake/picks/u1";

    [Fact]
    public async Task Two_silos_serve_reload_together_and_one_keeps_serving_when_the_other_stops()
    {
        await using var cluster = await TestCluster.StartAsync(new TestClusterOptions { SiloCount = 2, SampleData = false });

        foreach (var silo in cluster.Silos)
        {
            var response = await silo.Client.GetApiAsync("/recommend-items/fake/picks/u1");
            Assert.Equal(HttpStatusCode.OK, response.Status);
            Assert.Equal(TestConfig.Version, response.ConfigVersion);
        }

        await cluster.WriteConfigAsync(TestConfig.Create("v2", withStore: false));
        await cluster.AdvanceToConfigVersionAsync("v2");
        Assert.All(cluster.Silos, s => Assert.Equal("v2", s.Configuration.Current!.Version));

        await cluster.StopSiloAsync(1);
        Assert.False(cluster.Silos[1].IsRunning);
        Assert.Equal("v2", (await cluster.ClientOf(0).GetApiAsync("/recommend-items/fake/picks/u2")).ConfigVersion);
    }

    [Fact]
    public async Task One_user_asked_through_every_silo_gets_the_one_cached_response()
    {
        await using var cluster = await StartThreeSilosAsync();

        var responses = new List<ApiResponse>();
        foreach (var silo in cluster.Silos)
        {
            responses.Add(await silo.Client.GetApiAsync(Picks));
        }

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.Status));
        Assert.Single(responses.Select(r => r.ETag).Distinct());
        Assert.Single(responses.Select(r => r.Body).Distinct());
        Assert.Equal(1, cluster.Backend.Calls);
    }

    [Fact]
    public async Task An_event_posted_to_one_silo_clears_the_response_another_silo_served()
    {
        await using var cluster = await StartThreeSilosAsync(WithFileEventTarget(TestConfig.Create(withStore: false)).ToJsonString());
        var served = await cluster.ClientOf(1).GetApiAsync(Picks);
        Assert.Equal(served.ETag, (await cluster.ClientOf(1).GetApiAsync(Picks)).ETag);
        Assert.Equal(1, cluster.Backend.Calls);

        // The POST is answered once the file target took the batch, which its flush delay (on the test clock) sends.
        var startedAt = cluster.Time.GetUtcNow();
        var posting = cluster.ClientOf(0).PostJsonAsync("/events/fake", """{"sessionId":"s1","userId":"u1","eventList":[{"eventType":"click","itemId":"a"}]}""");
        await cluster.AdvanceTimeUntilAsync(TimeSpan.FromMilliseconds(500), () => posting.IsCompleted, "the event batch to reach the file target");
        var events = await posting;
        Assert.Equal(HttpStatusCode.OK, events.Status);
        Assert.True(cluster.Time.GetUtcNow() - startedAt < TimeSpan.FromSeconds(10), "the cached response must still be fresh, or expiry and not the event would explain a refetch");

        var after = await cluster.ClientOf(1).GetApiAsync(Picks);
        Assert.Equal(HttpStatusCode.OK, after.Status);
        Assert.Equal(2, cluster.Backend.Calls);
        Assert.NotEqual(served.ETag, after.ETag);
    }

    [Fact]
    public async Task An_experiment_assigns_each_user_the_same_arm_through_every_silo_and_counts_them_once()
    {
        await using var cluster = await StartThreeSilosAsync();

        var armsBySilo = new List<Dictionary<string, string>>();
        foreach (var silo in cluster.Silos)
        {
            armsBySilo.Add(await ServeExperimentAsync(silo.Client, 1, 12));
        }

        Assert.All(armsBySilo, arms => Assert.Equal(armsBySilo[0], arms));
        Assert.Equal(2, armsBySilo[0].Values.Distinct().Count());
        var expected = armsBySilo[0].Values.GroupBy(v => v).ToDictionary(g => g.Key, g => (long)g.Count());
        foreach (var silo in cluster.Silos)
        {
            Assert.Equal(expected, await ExposuresAsync(silo.Client));
        }
    }

    [Fact]
    public async Task Silos_on_different_config_versions_answer_without_caching_across_them_and_a_missing_recommender_is_a_retryable_503()
    {
        await using var cluster = await StartThreeSilosAsync();
        Assert.Equal(HttpStatusCode.OK, (await cluster.ClientOf(0).GetApiAsync(Picks)).Status);
        var grainSilo = await cluster.SiloHoldingAsync<IUserGrain>("fake/u1");
        var newerSilo = (grainSilo + 1) % cluster.Silos.Count;
        var callsBefore = cluster.Backend.Calls;

        // Version v2 adds recommender "fresh"; only one silo (not the grain's) has loaded it, as mid-rollout.
        await cluster.WriteConfigAsync(WithFreshRecommender(TestConfig.Create("v2", withStore: false)));
        Assert.Equal(ConfigurationApplyStatus.Applied, (await cluster.ReloadConfigAsync(newerSilo))!.Status);

        var first = await cluster.ClientOf(newerSilo).GetApiAsync(Picks);
        var second = await cluster.ClientOf(newerSilo).GetApiAsync(Picks);
        Assert.All(new[] { first, second }, r =>
        {
            Assert.Equal(HttpStatusCode.OK, r.Status);
            Assert.Equal("v2", r.ConfigVersion);
        });
        Assert.Equal(callsBefore + 2, cluster.Backend.Calls);

        // The answer cached under the grain's own version survived the v2 queries (entries are kept per version).
        var sameVersion = await cluster.ClientOf(grainSilo).GetApiAsync(Picks);
        Assert.Equal(HttpStatusCode.OK, sameVersion.Status);
        Assert.Equal(TestConfig.Version, sameVersion.ConfigVersion);
        Assert.Equal(sameVersion.ETag, (await cluster.ClientOf(grainSilo).GetApiAsync(Picks)).ETag);
        Assert.Equal(callsBefore + 2, cluster.Backend.Calls);

        var unknownToTheGrainsSilo = await cluster.ClientOf(newerSilo).GetApiAsync("/recommend-items/fake/fresh/u1");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, unknownToTheGrainsSilo.Status);
        Assert.Equal("ConfigurationChanging", unknownToTheGrainsSilo.Json.GetProperty("code").GetString());
        Assert.True(unknownToTheGrainsSilo.Headers.ContainsKey("Retry-After"), unknownToTheGrainsSilo.ToString());

        // Once every silo has v2, the new recommender answers and caches through any silo.
        await cluster.ReloadConfigAsync();
        await cluster.WaitForConfigVersionAsync("v2");
        var fresh = await cluster.ClientOf(newerSilo).GetApiAsync("/recommend-items/fake/fresh/u1");
        Assert.Equal(HttpStatusCode.OK, fresh.Status);
        Assert.Equal(fresh.ETag, (await cluster.ClientOf(grainSilo).GetApiAsync("/recommend-items/fake/fresh/u1")).ETag);
    }

    [Fact]
    public async Task Surviving_silos_keep_serving_after_one_stops_and_one_is_killed_and_user_state_survives_in_storage()
    {
        await using var cluster = await StartThreeSilosAsync();
        var arms = new Dictionary<string, string>();
        for (var i = 1; i <= 9; i++)
        {
            foreach (var (user, arm) in await ServeExperimentAsync(cluster.ClientOf(i % 3), i, i))
            {
                arms[user] = arm;
            }
        }

        var exposures = await ExposuresAsync(cluster.ClientOf(0));
        Assert.Equal(9, exposures.Values.Sum());

        // The coalesced writes (grain timers on the test clock) save the nine users and the experiment's counters, so a
        // kill loses nothing that was served.
        await cluster.AdvanceTimeUntilAsync(TimeSpan.FromSeconds(1), () => cluster.Store.Records.Count >= 10, "the write-behind timers to save 10 grain states");

        await cluster.StopSiloAsync(2);
        Assert.Equal(arms, await ServeExperimentAsync(cluster.ClientOf(1), 1, 9));
        Assert.Equal(exposures, await ExposuresAsync(cluster.ClientOf(1)));

        await cluster.KillSiloAsync(1);
        Assert.Equal(arms, await ServeExperimentAsync(cluster.ClientOf(0), 1, 9));
        Assert.Equal(exposures, await ExposuresAsync(cluster.ClientOf(0)));
        var newcomer = await ServeExperimentAsync(cluster.ClientOf(0), 10, 10);
        var after = await ExposuresAsync(cluster.ClientOf(0));
        Assert.Equal(10, after.Values.Sum());
        Assert.Equal(exposures.GetValueOrDefault(newcomer["u10"]) + 1, after[newcomer["u10"]]);
    }

    [Fact]
    public async Task Ready_reports_an_active_silo_and_turns_503_once_the_host_is_stopping()
    {
        await using var cluster = await StartThreeSilosAsync();
        foreach (var silo in cluster.Silos)
        {
            var ready = await silo.Client.GetApiAsync("/ready");
            Assert.Equal(HttpStatusCode.OK, ready.Status);
            Assert.Equal("Active", ready.Json.GetProperty("siloStatus").GetString());
        }

        // StopApplication only signals ApplicationStopping (nothing here runs the host's stop), so the silo is
        // deterministically "stopping" while it still answers HTTP.
        cluster.Silos[2].Lifetime.StopApplication();

        var stopping = await cluster.ClientOf(2).GetApiAsync("/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, stopping.Status);
        Assert.Equal("ShuttingDown", stopping.Json.GetProperty("siloStatus").GetString());
        Assert.Equal(HttpStatusCode.OK, (await cluster.ClientOf(0).GetApiAsync("/ready")).Status);
    }

    private static Task<TestCluster> StartThreeSilosAsync(string? configJson = null) =>
        TestCluster.StartAsync(new TestClusterOptions { SiloCount = 3, SampleData = false, ConfigJson = configJson });

    private static JsonObject WithFileEventTarget(JsonObject config)
    {
        config["namespaces"]!["fake"]!["eventTargets"] = JsonNode.Parse("""[{ "type": "file", "path": "events.jsonl" }]""");
        return config;
    }

    private static JsonObject WithFreshRecommender(JsonObject config)
    {
        var recommenders = config["namespaces"]!["fake"]!["recommenders"]!["recommend-items"]!.AsObject();
        recommenders["fresh"] = recommenders["picks"]!.DeepClone();
        return config;
    }

    private static async Task<Dictionary<string, string>> ServeExperimentAsync(HttpClient client, int first, int last)
    {
        var arms = new Dictionary<string, string>();
        for (var i = first; i <= last; i++)
        {
            var response = await client.GetApiAsync($"/recommend-items/fake/ab-test/u{i}");
            Assert.Equal(HttpStatusCode.OK, response.Status);
            var matched = response.Json.GetProperty("matchedExperiment");
            Assert.Equal("home-feed", matched.GetProperty("feature").GetString());
            arms[$"u{i}"] = matched.GetProperty("details").GetProperty("variation").GetString()!;
        }

        return arms;
    }

    private static async Task<Dictionary<string, long>> ExposuresAsync(HttpClient client)
    {
        var report = await client.GetApiAsync("/experiments/fake/home-feed");
        Assert.Equal(HttpStatusCode.OK, report.Status);
        return report.Json.GetProperty("arms").EnumerateArray()
            .Where(a => a.GetProperty("usersExposed").GetInt64() > 0)
            .ToDictionary(a => a.GetProperty("variation").GetString()!, a => a.GetProperty("usersExposed").GetInt64());
    }
}
