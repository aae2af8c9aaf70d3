namespace Personalization.Aws.Firehose;

/// <summary>Per-record result: RecordId on success, ErrorCode/ErrorMessage on failure.</summary>
public sealed class PutRecordBatchResponseEntry
{
    public string? RecordId { get; set; }

    public string? ErrorCode { get; set; }

    public string? ErrorMessage { get; set; }
}
