namespace Personalization.Grains.Events;

/// <summary>What one <see cref="IEventTarget.SendAsync"/> call may carry, and how many may run at once.</summary>
public sealed record TargetBatchLimits(int MaxRecords, long MaxBytes = long.MaxValue, int MaxRecordBytes = int.MaxValue, int MaxConcurrentBatches = 1)
{
    public int MaxRecords { get; } = MaxRecords > 0 ? MaxRecords : throw new ArgumentOutOfRangeException(nameof(MaxRecords), "must be at least 1");

    public int MaxConcurrentBatches { get; } = MaxConcurrentBatches > 0 ? MaxConcurrentBatches : throw new ArgumentOutOfRangeException(nameof(MaxConcurrentBatches), "must be at least 1");
}
