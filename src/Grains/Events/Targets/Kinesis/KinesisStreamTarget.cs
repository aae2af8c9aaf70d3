using System.Text;

namespace Personalization.Grains.Events;

/// <summary><c>kinesis-stream</c>: PutRecords, one record per event, ≤ 500 records and ≤ 5 MiB per call.</summary>
public sealed class KinesisStreamTarget : IEventTarget
{
    public const int MaxRecordsPerCall = 500;
    public const int MaxBytesPerCall = 5 * 1024 * 1024;

    private readonly KinesisStreamTargetOptions _options;
    private readonly PutRecordsSender _putRecords;
    private readonly SendErrorClassifier _classify;
    private readonly EventPayloadFormat _format;

    public KinesisStreamTarget(string name, KinesisStreamTargetOptions options, PutRecordsSender putRecords, SendErrorClassifier? classify = null)
    {
        if (options.StreamName is null && options.StreamARN is null)
        {
            throw new ArgumentException("a kinesis-stream target needs streamName or streamArn", nameof(options));
        }

        Name = name;
        _options = options;
        _putRecords = putRecords;
        _classify = classify ?? SendErrors.Classify;
        _format = options.Envelope ? EventPayloadFormat.Envelope : EventPayloadFormat.Bare;
        Limits = new TargetBatchLimits(MaxRecordsPerCall, MaxBytesPerCall, options.MaxRecordBytes, MaxConcurrentBatches: 2);
    }

    public string Name { get; }

    public TargetBatchLimits Limits { get; }

    // Kinesis counts the partition key toward both the record and the request limit.
    public int MeasureBytes(EventRecord record) => record.GetPayload(_format).Length + Encoding.UTF8.GetByteCount(PartitionKeyOf(record));

    public async Task<TargetBatchResult> SendAsync(IReadOnlyList<EventRecord> batch, CancellationToken cancellationToken)
    {
        var records = new KinesisRecord[batch.Count];
        for (var i = 0; i < records.Length; i++)
        {
            records[i] = new KinesisRecord(batch[i].GetPayload(_format), PartitionKeyOf(batch[i]));
        }

        try
        {
            var response = await _putRecords(new KinesisPutRecords(_options.StreamName, _options.StreamARN, records), cancellationToken).ConfigureAwait(false);
            return response.ToResult(records.Length);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            return TargetBatchResult.Failed(records.Length, _classify(e));
        }
    }

    private string PartitionKeyOf(EventRecord record) =>
        _options.PartitionKey == KinesisPartitionKey.UserId ? record.UserId ?? record.SessionId : record.SessionId;
}
