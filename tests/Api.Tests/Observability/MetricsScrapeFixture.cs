using System.Net;
using System.Text.Json.Nodes;
using Personalization.Api.Tests.Cluster;
using Personalization.Grains.Recommenders;
using Xunit;

namespace Personalization.Api.Tests.Observability;

/// <summary>
/// One silo driven through the traffic the dashboards watch: a miss, a hit, an experiment arm, a backend failure
/// answered from a stale answer, and events to one target that takes them and one that cannot (retried, then failed).
/// Then one scrape of <c>/metrics</c>, shared by the tests.
/// </summary>
public sealed class MetricsScrapeFixture : IAsyncLifetime
{
    private TestCluster? _cluster;

    public TestCluster Cluster => _cluster ?? throw new InvalidOperationException("not started");

    public ApiResponse Scrape { get; private set; } = null!;

    /// <summary>The sample lines of the scrape by series name (the part before the labels).</summary>
    public ILookup<string, string> Samples { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var config = TestConfig.Create(withStore: false);
        config["cacheControl"]!["staleIfError"] = 600;
        // The second target's path runs through a file, so every write fails (retryably) until the attempts run out.
        config["namespaces"]!["fake"]!["eventTargets"] = JsonNode.Parse($$"""
            [{ "type": "file", "path": "events.jsonl" }, { "type": "file", "path": "{{TestCatalog.FileName}}/events.jsonl" }]
            """);
        _cluster = await TestCluster.StartAsync(new TestClusterOptions { SampleData = false, ConfigJson = config.ToJsonString() });
        var client = Cluster.Client;

        Assert.Equal(HttpStatusCode.OK, (await client.GetApiAsync("/recommend-items/fake/picks/metrics-user")).Status);
        Assert.Equal(HttpStatusCode.OK, (await client.GetApiAsync("/recommend-items/fake/picks/metrics-user")).Status);
        Assert.Equal(HttpStatusCode.OK, (await client.GetApiAsync("/recommend-items/fake/ab-test/metrics-user")).Status);

        Cluster.Backend.Failure = new RecommenderBackendException(BackendFailure.Unavailable, "FakeDown", "the fake backend is down");
        Cluster.AdvanceTime(TimeSpan.FromSeconds(31));
        var stale = await client.GetApiAsync("/recommend-items/fake/picks/metrics-user");
        Assert.Equal(HttpStatusCode.OK, stale.Status);
        Cluster.Backend.Failure = null;

        var posting = client.PostJsonAsync("/events/fake", """{"sessionId":"s1","userId":"metrics-user","eventList":[{"eventType":"click","itemId":"a"}]}""");
        await Cluster.AdvanceTimeUntilAsync(TimeSpan.FromSeconds(1), () => posting.IsCompleted, "the event batch to be delivered to one target and fail at the other");
        await posting;

        Scrape = await client.GetApiAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, Scrape.Status);
        Samples = Scrape.Body.Split('\n')
            .Where(line => line.Length > 0 && line[0] != '#')
            .ToLookup(line => line[..line.IndexOfAny(['{', ' '])], StringComparer.Ordinal);
    }

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }
}
