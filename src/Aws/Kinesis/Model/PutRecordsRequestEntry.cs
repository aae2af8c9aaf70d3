namespace Personalization.Aws.Kinesis;

/// <summary>One record; Data travels base64-encoded.</summary>
public sealed class PutRecordsRequestEntry
{
    public ReadOnlyMemory<byte> Data { get; set; }

    public string? ExplicitHashKey { get; set; }

    public string PartitionKey { get; set; } = "";
}
