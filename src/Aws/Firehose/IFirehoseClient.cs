namespace Personalization.Aws.Firehose;

/// <summary>Amazon Data Firehose (awsJson1.1, Firehose_20150804).</summary>
public interface IFirehoseClient
{
    /// <summary>Partial failures come back per record (ErrorCode) with FailedPutCount, not as an exception.</summary>
    Task<PutRecordBatchOutput> PutRecordBatchAsync(PutRecordBatchInput request, CancellationToken cancellationToken = default);
}
