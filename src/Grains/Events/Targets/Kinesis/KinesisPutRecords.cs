namespace Personalization.Grains.Events;

/// <summary>One PutRecords call (≤ 500 records, ≤ 5 MiB including partition keys).</summary>
public sealed record KinesisPutRecords(string? StreamName, string? StreamARN, IReadOnlyList<KinesisRecord> Records);

/// <summary>A PutRecordsRequestEntry.</summary>
public readonly record struct KinesisRecord(ReadOnlyMemory<byte> Data, string PartitionKey);

/// <summary>Binds to <c>IKinesisClient.PutRecordsAsync</c>; per-record failures come back in the response.</summary>
public delegate Task<BatchPutResponse> PutRecordsSender(KinesisPutRecords request, CancellationToken cancellationToken);
