namespace Personalization.Grains.Events;

/// <summary>
/// <c>kinesis-firehose</c>: PutRecordBatch, ≤ 500 records and ≤ 4 MiB per call. Records end with a newline so the
/// objects Firehose writes to S3 are JSON Lines (the original wrote none, gluing events together).
/// </summary>
public sealed class FirehoseTarget(
    string name,
    string deliveryStreamName,
    PutRecordBatchSender putRecordBatch,
    SendErrorClassifier? classify = null,
    bool envelope = true) : IEventTarget
{
    public const int MaxRecordsPerCall = 500;
    public const int MaxBytesPerCall = 4 * 1024 * 1024;
    public const int MaxRecordBytes = 1000 * 1024;

    private readonly SendErrorClassifier _classify = classify ?? SendErrors.Classify;
    private readonly EventPayloadFormat _format = envelope ? EventPayloadFormat.Envelope : EventPayloadFormat.Bare;

    public string Name { get; } = name;

    public TargetBatchLimits Limits { get; } = new(MaxRecordsPerCall, MaxBytesPerCall, MaxRecordBytes, MaxConcurrentBatches: 2);

    public int MeasureBytes(EventRecord record) => record.GetPayload(_format, newlineTerminated: true).Length;

    public async Task<TargetBatchResult> SendAsync(IReadOnlyList<EventRecord> batch, CancellationToken cancellationToken)
    {
        var records = new ReadOnlyMemory<byte>[batch.Count];
        for (var i = 0; i < records.Length; i++)
        {
            records[i] = batch[i].GetPayload(_format, newlineTerminated: true);
        }

        try
        {
            var response = await putRecordBatch(new FirehosePutRecordBatch(deliveryStreamName, records), cancellationToken).ConfigureAwait(false);
            return response.ToResult(records.Length);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            return TargetBatchResult.Failed(records.Length, _classify(e));
        }
    }
}
