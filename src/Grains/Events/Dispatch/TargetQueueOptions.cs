namespace Personalization.Grains.Events;

/// <summary>How one (namespace, target) queue batches, bounds and retries.</summary>
public sealed record TargetQueueOptions
{
    public static readonly TargetQueueOptions Default = new();

    /// <summary>Records held at most (queued, waiting to retry, or in flight); beyond it requests get 429.</summary>
    public int Capacity { get; init; } = 10_000;

    /// <summary>
    /// How long a partial batch waits for company before it is sent; a full batch goes at once. Zero sends whatever
    /// is queued as soon as a send slot is free (batches still form while sends are in flight).
    /// </summary>
    public TimeSpan FlushDelay { get; init; } = TimeSpan.FromMilliseconds(5);

    public RetryPolicy Retry { get; init; } = new();

    /// <summary>The least Retry-After given with a 429; a target in backoff gives its remaining backoff if longer.</summary>
    public TimeSpan RejectRetryAfter { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The target's own <c>mode</c>; null follows the namespace's (the mode passed to <see cref="EventFanOut"/>).</summary>
    public DeliveryMode? Mode { get; init; }

    /// <summary>Jitter source; set a seeded one for reproducible tests. Used under the queue's lock.</summary>
    public Random? Random { get; init; }

    /// <summary>Called for every record finally failed (permanent error, retries exhausted, shutdown timeout).</summary>
    public Action<EventRecord, RecordOutcome>? OnFailed { get; init; }
}
