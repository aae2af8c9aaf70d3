using System.Text.Json;
using System.Text.RegularExpressions;
using Xunit;

namespace Personalization.Api.Tests.Observability;

/// <summary>/metrics as OpenTelemetry's Prometheus exporter serves it, after traffic (<see cref="MetricsScrapeFixture"/>).</summary>
[Collection(ProcessWideTelemetry.Name)]
public sealed partial class MetricsTests(MetricsScrapeFixture fixture) : IClassFixture<MetricsScrapeFixture>
{
    /// <summary>Series the README, the bench scripts and the Grafana dashboard rely on, with a label they must carry.</summary>
    [Theory]
    [InlineData("http_server_request_duration_seconds_count", "http_route=\"/recommend-items/{ns}/{recommender}/{userId}\"")]
    [InlineData("http_server_request_duration_seconds_bucket", "le=\"0.0001\"")]
    [InlineData("recommendations_served_total", "")]
    [InlineData("recommendations_backend_calls_total", "backend=\"personalize-campaign\"")]
    [InlineData("recommendations_backend_errors_total", "backend=\"personalize-campaign\"")]
    [InlineData("recommendations_backend_duration_seconds_bucket", "backend=\"personalize-campaign\"")]
    [InlineData("recommendations_answers_stale_total", "")]
    [InlineData("events_accepted_total", "target=")]
    [InlineData("events_delivered_total", "target=")]
    [InlineData("events_retried_total", "target=")]
    [InlineData("events_failed_total", "target=")]
    [InlineData("events_delivery_lag_seconds_count", "target=")]
    [InlineData("experiments_exposures_total", "feature=\"home-feed\"")]
    [InlineData("cluster_silos_active", "")]
    [InlineData("orleans_catalog_activations", "grain_type=\"user\"")]
    [InlineData("orleans_app_requests_latency_milliseconds_count", "")]
    [InlineData("dotnet_gc_collections_total", "gc_heap_generation=")]
    [InlineData("dotnet_process_memory_working_set_bytes", "")]
    [InlineData("target_info", "service_name=\"personalization\"")]
    public void The_important_series_exist_after_traffic(string series, string label)
    {
        Assert.True(fixture.Samples.Contains(series), $"no {series} in the scrape; series present: {string.Join(", ", fixture.Samples.Select(g => g.Key))}");
        Assert.Contains(fixture.Samples[series], line => line.Contains(label, StringComparison.Ordinal));
    }

    [Fact]
    public void The_counts_follow_the_traffic()
    {
        // Four GETs of picks/ab-test: a miss, a hit, the arm's miss, and the stale answer after the backend failed.
        Assert.Equal(4, Sum("recommendations_served_total"));
        Assert.Equal(3, Sum("recommendations_backend_calls_total"));
        Assert.Equal(1, Sum("recommendations_backend_errors_total"));
        Assert.Equal(1, Sum("recommendations_answers_stale_total"));
        Assert.Equal(1, Sum("events_delivered_total"));
        Assert.Equal(1, Sum("events_failed_total"));
        Assert.Equal(1, Sum("experiments_exposures_total"));
        Assert.StartsWith("text/plain", fixture.Scrape.ContentType);
    }

    /// <summary>Every series the Grafana dashboard (deploy/grafana) queries is one the service really exposes.</summary>
    [Fact]
    public void Every_series_the_grafana_dashboard_queries_is_in_the_scrape()
    {
        using var dashboard = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "grafana", "personalization.json")));
        var expressions = dashboard.RootElement.GetProperty("panels").EnumerateArray()
            .SelectMany(panel => panel.GetProperty("targets").EnumerateArray())
            .Select(target => target.GetProperty("expr").GetString()!)
            .ToList();
        Assert.NotEmpty(expressions);

        var queried = expressions.SelectMany(SeriesIn).ToHashSet(StringComparer.Ordinal);
        Assert.Contains("recommendations_backend_duration_seconds_bucket", queried);
        var missing = queried.Where(name => !fixture.Samples.Contains(name)).ToList();
        Assert.True(missing.Count == 0, "the dashboard queries series /metrics does not have: " + string.Join(", ", missing));
    }

    /// <summary>The metric names of a PromQL expression: identifiers that are not functions, keywords or label names.</summary>
    private static IEnumerable<string> SeriesIn(string expression)
    {
        // Label matchers, grouping clauses and ranges hold label names and durations, not series.
        var bare = Braces().Replace(expression, " ");
        bare = Grouping().Replace(bare, " ");
        bare = Ranges().Replace(bare, " ");
        return Identifier().Matches(bare).Select(m => m.Value).Where(name => !Keywords.Contains(name));
    }

    private static readonly HashSet<string> Keywords = new(StringComparer.Ordinal)
    {
        "sum", "max", "min", "avg", "count", "rate", "irate", "increase", "histogram_quantile", "clamp_min", "clamp_max", "by", "without", "on", "ignoring", "and", "or", "unless",
    };

    private double Sum(string series) =>
        fixture.Samples[series].Sum(line => double.Parse(line[(line.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture));

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex Braces();

    [GeneratedRegex(@"\b(by|without|on|ignoring)\s*\([^)]*\)")]
    private static partial Regex Grouping();

    [GeneratedRegex(@"\[[^\]]*\]")]
    private static partial Regex Ranges();

    [GeneratedRegex(@"\b[a-zA-Z_:][a-zA-Z0-9_:]*\b(?!\s*\()")]
    private static partial Regex Identifier();
}
