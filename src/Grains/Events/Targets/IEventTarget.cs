namespace Personalization.Grains.Events;

/// <summary>
/// A destination for events (Personalize event tracker, Kinesis stream, Firehose delivery stream, file). Its
/// <see cref="TargetQueue"/> calls <see cref="SendAsync"/> with batches within <see cref="Limits"/>; the result says,
/// per record, delivered / retryable / permanent, so only failed records are sent again.
/// </summary>
public interface IEventTarget
{
    string Name { get; }

    TargetBatchLimits Limits { get; }

    /// <summary>The bytes a record counts toward <see cref="TargetBatchLimits.MaxBytes"/>. Called on the flusher.</summary>
    int MeasureBytes(EventRecord record);

    /// <summary>
    /// Sends one batch. Service errors are reported in the result, not thrown; an exception is treated as a
    /// retryable failure of the whole batch. The result has one outcome per record, in batch order.
    /// </summary>
    Task<TargetBatchResult> SendAsync(IReadOnlyList<EventRecord> batch, CancellationToken cancellationToken);
}
