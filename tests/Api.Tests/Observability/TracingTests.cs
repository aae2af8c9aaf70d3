using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using OpenTelemetry.Trace;
using Personalization.Api.Tests.Cluster;
using Personalization.Grains.Users;
using Personalization.TestSupport;
using Xunit;
using Xunit.Abstractions;

namespace Personalization.Api.Tests.Observability;

/// <summary>
/// Traces through the real OpenTelemetry set-up of two silos (OTLP "configured" at an address nothing listens on, so
/// tracing is on as in production; the spans are read by a processor after the silo's own).
/// </summary>
[Collection(ProcessWideTelemetry.Name)]
public sealed class TracingTests(ITestOutputHelper output)
{
    [Fact]
    public async Task One_request_is_one_trace_from_the_api_through_the_user_grain_on_the_other_silo_to_the_backend_and_the_event_target()
    {
        var spans = new SpanCollector();
        var config = TestConfig.Create(withStore: false);
        config["namespaces"]!["fake"]!["eventTargets"] = JsonNode.Parse("""[{ "type": "file", "path": "events.jsonl" }]""");
        await using var cluster = await TestCluster.StartAsync(new TestClusterOptions
        {
            SiloCount = 2,
            SampleData = false,
            ConfigJson = config.ToJsonString(),
            Settings = new Dictionary<string, string> { ["OTEL_EXPORTER_OTLP_ENDPOINT"] = FormattableString.Invariant($"http://127.0.0.1:{NodeEmulator.FreeLoopbackPort()}") },
            ConfigureServices = services => services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddProcessor(spans)),
        });
        var user = await RequestUntilServedOnAsync(cluster, spans, silo: 1);
        var posting = cluster.ClientOf(0).PostJsonAsync("/events/fake", $$"""{"sessionId":"s1","userId":"{{user}}","eventList":[{"eventType":"click","itemId":"a"}]}""");
        await cluster.AdvanceTimeUntilAsync(TimeSpan.FromMilliseconds(500), () => posting.IsCompleted, "the event batch to reach the file target");
        Assert.Equal(HttpStatusCode.OK, (await posting).Status);

        var all = spans.Spans;
        foreach (var span in all.OrderBy(s => s.StartTimeUtc))
        {
            output.WriteLine($"{span.TraceId} {span.SpanId} <- {span.ParentSpanId} {span.Source.Name} {span.Kind} '{span.DisplayName}' {string.Join(", ", span.TagObjects.Select(t => $"{t.Key}={t.Value}"))}");
        }

        // The recommendation: the HTTP span on silo 0, the grain call leaving it, the call arriving on silo 1 (the silo the
        // grain lives on), and the backend call under it, all in one trace.
        var request = Assert.Single(all, s => s.Kind == ActivityKind.Server && s.Source.Name == "Microsoft.AspNetCore" && s.GetTagItem("http.route") is string route && route.StartsWith("/recommend-items", StringComparison.Ordinal));
        var trace = all.Where(s => s.TraceId == request.TraceId).ToList();
        var outgoing = Assert.Single(trace, s => s.Kind == ActivityKind.Client && IsUserGrainCall(s));
        var incoming = Assert.Single(trace, s => s.Kind == ActivityKind.Server && IsUserGrainCall(s));
        // The call ran on silo 1 (RequestUntilServedOnAsync made sure of the placement): its span's parent is the call
        // leaving silo 0, so the trace context crossed between the silos in the grain call's headers.
        Assert.Equal(outgoing.SpanId, incoming.ParentSpanId);
        var backend = Assert.Single(trace, s => s.Source.Name == "Personalization" && s.DisplayName == "recommendation backend");
        Assert.Equal("personalize-campaign", backend.GetTagItem("personalization.backend"));
        Assert.True(IsUnder(backend, incoming, trace), "the backend call is not inside the grain call");
        Assert.Contains(trace, s => s.DisplayName == "decorate items");

        // The events: the POST's trace goes on to the batch sent to the target.
        var post = Assert.Single(all, s => s.Kind == ActivityKind.Server && s.GetTagItem("http.route") as string == "/events/{ns}");
        var send = Assert.Single(all, s => s.DisplayName == "event target send");
        Assert.Equal(post.TraceId, send.TraceId);

        // Personal data: the user id appears in no attribute of any span (Telemetry__IncludeUserIds is off).
        var leaks = all.SelectMany(s => s.TagObjects.Select(t => (Span: s.DisplayName, t.Key, Value: t.Value?.ToString() ?? ""))).Where(t => t.Value.Contains(user, StringComparison.Ordinal)).ToList();
        Assert.True(leaks.Count == 0, "user id in span attributes: " + string.Join("; ", leaks));
        Assert.Equal("/recommend-items/{ns}/{recommender}/{userId}", request.GetTagItem("url.path"));
    }

    private static bool IsUserGrainCall(Activity span) =>
        span.Source.Name == "Microsoft.Orleans.Application" && span.DisplayName.Contains(nameof(IUserGrain), StringComparison.Ordinal);

    private static bool IsUnder(Activity span, Activity ancestor, IReadOnlyCollection<Activity> trace)
    {
        var byId = trace.ToDictionary(s => s.SpanId);
        for (var current = span; byId.TryGetValue(current.ParentSpanId, out var parent); current = parent)
        {
            if (parent.SpanId == ancestor.SpanId)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Asks silo 0 for new users' recommendations until one's grain was placed on <paramref name="silo"/>; the spans
    /// collected are that request's (and the cluster's background work).
    /// </summary>
    private static async Task<string> RequestUntilServedOnAsync(TestCluster cluster, SpanCollector spans, int silo)
    {
        for (var i = 0; i < 100; i++)
        {
            var user = "trace-user-" + i;
            spans.Clear();
            var response = await cluster.ClientOf(0).GetApiAsync($"/recommend-items/fake/picks/{user}");
            Assert.Equal(HttpStatusCode.OK, response.Status);
            if (await cluster.SiloHoldingAsync<IUserGrain>("fake/" + user) == silo)
            {
                return user;
            }
        }

        throw new InvalidOperationException($"no user grain was placed on silo {silo} in 100 tries");
    }
}
