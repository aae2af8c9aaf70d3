using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Personalization.Grains.Events;

/// <summary>
/// Meter <c>Personalization.Events</c>: counters of events accepted, delivered, retried, failed and rejected, the
/// delivery lag and the queue depth, each tagged with <c>namespace</c> and <c>target</c>.
/// </summary>
public static class EventMetrics
{
    public const string MeterName = "Personalization.Events";

    private static readonly Meter Meter = new(MeterName);
    private static readonly ConcurrentDictionary<TargetQueue, byte> Queues = new();

    internal static readonly Counter<long> Accepted = Meter.CreateCounter<long>("events.accepted", "{event}", "Events admitted into a target queue");
    internal static readonly Counter<long> Delivered = Meter.CreateCounter<long>("events.delivered", "{event}", "Events the target confirmed");
    internal static readonly Counter<long> Retried = Meter.CreateCounter<long>("events.retried", "{event}", "Events scheduled to be sent again after a retryable failure");
    internal static readonly Counter<long> Failed = Meter.CreateCounter<long>("events.failed", "{event}", "Events finally failed (permanent error, retries exhausted, shutdown)");
    internal static readonly Histogram<double> DeliveryLag = Meter.CreateHistogram<double>("events.delivery.lag", "s", "Time from a queue admitting an event to the target confirming it (flush delay, batching, retries)");
    internal static readonly Counter<long> Rejected = Meter.CreateCounter<long>("events.rejected", "{event}", "Events refused because a queue was full or draining");

    static EventMetrics()
    {
        Meter.CreateObservableGauge("events.queue.depth", ObserveDepth, "{event}", "Events held by a target queue (queued, awaiting retry, in flight)");
    }

    internal static void Register(TargetQueue queue) => Queues.TryAdd(queue, 0);

    internal static void Unregister(TargetQueue queue) => Queues.TryRemove(queue, out _);

    private static IEnumerable<Measurement<long>> ObserveDepth()
    {
        foreach (var queue in Queues.Keys)
        {
            yield return new Measurement<long>(queue.Depth, queue.NamespaceTag, queue.TargetTag);
        }
    }
}
