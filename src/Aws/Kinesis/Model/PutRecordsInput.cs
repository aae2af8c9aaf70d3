namespace Personalization.Aws.Kinesis;

/// <summary>Input of Kinesis PutRecords.</summary>
public sealed class PutRecordsInput
{
    public List<PutRecordsRequestEntry> Records { get; set; } = [];

    public string? StreamName { get; set; }

    public string? StreamARN { get; set; }
}
