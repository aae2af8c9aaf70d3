namespace Personalization.Aws.Kinesis;

/// <summary>Per-record result: SequenceNumber/ShardId on success, ErrorCode/ErrorMessage on failure.</summary>
public sealed class PutRecordsResultEntry
{
    public string? SequenceNumber { get; set; }

    public string? ShardId { get; set; }

    public string? ErrorCode { get; set; }

    public string? ErrorMessage { get; set; }
}
