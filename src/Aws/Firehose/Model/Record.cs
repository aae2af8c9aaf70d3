namespace Personalization.Aws.Firehose;

/// <summary>One Firehose record; Data travels base64-encoded.</summary>
public sealed class Record
{
    public ReadOnlyMemory<byte> Data { get; set; }
}
