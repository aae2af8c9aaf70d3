namespace Personalization.Aws.Kinesis;

/// <summary>Amazon Kinesis Data Streams (awsJson1.1, Kinesis_20131202).</summary>
public interface IKinesisClient
{
    /// <summary>Partial failures come back per record (ErrorCode) with FailedRecordCount, not as an exception.</summary>
    Task<PutRecordsOutput> PutRecordsAsync(PutRecordsInput request, CancellationToken cancellationToken = default);
}
