using System.Net;
using Personalization.Api.Tests.Cluster;
using Personalization.Grains.Experiments;
using Xunit;

namespace Personalization.Api.Tests.EndToEnd;

/// <summary>The <c>home-feed</c> evidently experiment of recommender <c>fake/ab-test</c>: assignment, exposure counting, persistence.</summary>
public sealed class ExperimentTests : IAsyncLifetime
{
    private const string Report = "/experiments/fake/home-feed";

    private TestCluster _cluster = null!;

    private HttpClient Client => _cluster.Client;

    public async Task InitializeAsync() => _cluster = await TestCluster.StartAsync(new TestClusterOptions { SampleData = false });

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task Each_user_is_served_one_arm_with_matched_experiment_and_counted_once()
    {
        var served = await ServeUsersAsync(1, 20);

        Assert.Equal(2, served.Values.Distinct().Count());
        Assert.Equal(served.Values.GroupBy(v => v).ToDictionary(g => g.Key, g => (long)g.Count()), await ExposuresAsync());

        _cluster.AdvanceTime(TimeSpan.FromSeconds(31));
        var again = await ServeUsersAsync(1, 20);
        Assert.Equal(served, again);
        Assert.Equal(40, _cluster.Backend.Calls);
        Assert.Equal(20, (await ExposuresAsync()).Values.Sum());
    }

    [Fact]
    public async Task The_backend_is_called_with_the_assigned_arms_variation()
    {
        var response = await Client.GetApiAsync("/recommend-items/fake/ab-test/u1?feature=home-feed");

        var arm = response.Json.GetProperty("matchedExperiment").GetProperty("details").GetProperty("variation").GetString();
        Assert.Equal(arm, _cluster.Backend.LastRequest.Variation.Key);
        Assert.Equal(TestConfig.Campaign(arm!), _cluster.Backend.LastRequest.Variation.Arn);
    }

    [Fact]
    public async Task Counts_are_saved_by_the_flush_timer_and_survive_a_silo_restart()
    {
        var served = await ServeUsersAsync(1, 10);
        var before = await ExposuresAsync();
        Assert.Equal(10, before.Values.Sum());

        _cluster.AdvanceTime(TimeSpan.FromSeconds(1));
        await TestCluster.WaitUntilAsync(() => _cluster.Store.Records.Count >= 11, () => $"the flush timers saved {_cluster.Store.Records.Count} of 11 grain states");

        await _cluster.RestartSiloAsync(0);
        Assert.Equal(before, await ExposuresAsync());

        // Returning users are remembered (their state survived too); a new user is counted.
        Assert.Equal(served, await ServeUsersAsync(1, 10));
        Assert.Equal(10, (await ExposuresAsync()).Values.Sum());
        var newcomer = await ServeUsersAsync(11, 11);
        var after = await ExposuresAsync();
        Assert.Equal(11, after.Values.Sum());
        Assert.Equal(before[newcomer["u11"]] + 1, after[newcomer["u11"]]);
    }

    [Fact]
    public async Task Counts_survive_a_restart_even_without_a_timer_flush()
    {
        await ServeUsersAsync(1, 5);
        var before = await ExposuresAsync();

        await _cluster.RestartSiloAsync(0);

        Assert.Equal(before, await ExposuresAsync());
        Assert.Equal(5, before.Values.Sum());
    }

    [Fact]
    public async Task An_experiment_grain_deactivated_between_calls_keeps_its_counts()
    {
        await ServeUsersAsync(1, 3);
        await _cluster.DeactivateGrainAsync<IExperimentGrain>("fake/home-feed");
        await ServeUsersAsync(4, 6);

        Assert.Equal(6, (await ExposuresAsync()).Values.Sum());
    }

    private async Task<Dictionary<string, string>> ServeUsersAsync(int first, int last)
    {
        var arms = new Dictionary<string, string>();
        for (var i = first; i <= last; i++)
        {
            var response = await Client.GetApiAsync($"/recommend-items/fake/ab-test/u{i}");
            Assert.Equal(HttpStatusCode.OK, response.Status);
            var matched = response.Json.GetProperty("matchedExperiment");
            Assert.Equal("home-feed", matched.GetProperty("feature").GetString());
            arms[$"u{i}"] = matched.GetProperty("details").GetProperty("variation").GetString()!;
        }

        return arms;
    }

    private async Task<Dictionary<string, long>> ExposuresAsync()
    {
        var report = await Client.GetApiAsync(Report);
        Assert.Equal(HttpStatusCode.OK, report.Status);
        return report.Json.GetProperty("arms").EnumerateArray()
            .Where(a => a.GetProperty("usersExposed").GetInt64() > 0)
            .ToDictionary(a => a.GetProperty("variation").GetString()!, a => a.GetProperty("usersExposed").GetInt64());
    }
}
