using System.Collections.Concurrent;
using System.Diagnostics;
using OpenTelemetry;

namespace Personalization.Api.Tests.Observability;

/// <summary>
/// Added to every silo's tracer provider after the silo's own processors, so it sees spans as an exporter would (after
/// redaction). Every provider of the process listens to every source, so a span is offered once per silo: kept once.
/// </summary>
public sealed class SpanCollector : BaseProcessor<Activity>
{
    private readonly ConcurrentDictionary<ActivitySpanId, Activity> _spans = new();

    public IReadOnlyCollection<Activity> Spans => _spans.Values.ToList();

    public void Clear() => _spans.Clear();

    public override void OnEnd(Activity data) => _spans.TryAdd(data.SpanId, data);
}
