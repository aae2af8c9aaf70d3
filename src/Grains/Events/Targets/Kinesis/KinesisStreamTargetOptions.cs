namespace Personalization.Grains.Events;

/// <summary>A <c>kinesis-stream</c> event target: <c>streamName | streamArn</c>, <c>partitionKey</c>, <c>envelope</c>.</summary>
public sealed record KinesisStreamTargetOptions
{
    public string? StreamName { get; init; }

    public string? StreamARN { get; init; }

    public KinesisPartitionKey PartitionKey { get; init; } = KinesisPartitionKey.UserId;

    /// <summary>True (default): the original's envelope; false: the bare event.</summary>
    public bool Envelope { get; init; } = true;

    /// <summary>Per-record cap (data + partition key); 1 MiB, the long-standing Kinesis record size.</summary>
    public int MaxRecordBytes { get; init; } = 1024 * 1024;
}
