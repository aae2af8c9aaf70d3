namespace Personalization.Grains.Events;

/// <summary>
/// Per-record outcomes of one batch, like PutRecords' <c>FailedRecordCount</c> + <c>Records[].ErrorCode</c>.
/// A batch that went all one way holds a single outcome instead of one per record.
/// </summary>
public sealed class TargetBatchResult
{
    private static readonly TargetBatchResult[] DeliveredCache = Enumerable.Range(0, 501).Select(n => new TargetBatchResult(n, RecordOutcome.Delivered)).ToArray();

    private readonly RecordOutcome[]? _outcomes;
    private readonly RecordOutcome _uniform;

    private TargetBatchResult(int count, RecordOutcome uniform)
    {
        Count = count;
        _uniform = uniform;
        FailedRecordCount = uniform.Status == RecordStatus.Delivered ? 0 : count;
    }

    private TargetBatchResult(RecordOutcome[] outcomes)
    {
        Count = outcomes.Length;
        _outcomes = outcomes;
        FailedRecordCount = outcomes.Count(o => o.Status != RecordStatus.Delivered);
    }

    public int Count { get; }

    public int FailedRecordCount { get; }

    public RecordOutcome this[int index] =>
        (uint)index < (uint)Count ? _outcomes?[index] ?? _uniform : throw new ArgumentOutOfRangeException(nameof(index));

    public static TargetBatchResult Delivered(int count) =>
        count < DeliveredCache.Length ? DeliveredCache[count] : new TargetBatchResult(count, RecordOutcome.Delivered);

    public static TargetBatchResult Failed(int count, SendError error) => new(count, RecordOutcome.Failed(error));

    /// <summary>One outcome per record, in batch order (the array is kept, not copied).</summary>
    public static TargetBatchResult FromOutcomes(RecordOutcome[] outcomes) => new(outcomes);
}
