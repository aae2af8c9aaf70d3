namespace Personalization.Grains.Configuration;

/// <summary>
/// One entry of `eventTargets`. Only the fields of its type are set: TrackingId (tracker), StreamName or
/// StreamArn (kinesis-stream), StreamName (firehose; also read from deliveryStreamName), Path/MaxBytes (file).
/// Mode is the target's own `mode`, else the namespace's, else sync.
/// </summary>
public sealed record EventTargetConfig(
    EventTargetType Type,
    string? TrackingId,
    string? StreamName,
    string? StreamArn,
    string? PartitionKey,
    bool Envelope,
    string? Path,
    long? MaxBytes,
    EventDeliveryMode Mode);
