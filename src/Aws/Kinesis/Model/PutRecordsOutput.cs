namespace Personalization.Aws.Kinesis;

/// <summary>Output of PutRecords: one result per record, in request order.</summary>
public sealed class PutRecordsOutput
{
    public int? FailedRecordCount { get; set; }

    public List<PutRecordsResultEntry> Records { get; set; } = [];

    public string? EncryptionType { get; set; }
}
