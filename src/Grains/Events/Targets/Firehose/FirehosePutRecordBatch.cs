namespace Personalization.Grains.Events;

/// <summary>One PutRecordBatch call (≤ 500 records, ≤ 4 MiB); each record is one newline-terminated JSON line.</summary>
public sealed record FirehosePutRecordBatch(string DeliveryStreamName, IReadOnlyList<ReadOnlyMemory<byte>> Records);

/// <summary>Binds to <c>IFirehoseClient.PutRecordBatchAsync</c>; per-record failures come back in the response.</summary>
public delegate Task<BatchPutResponse> PutRecordBatchSender(FirehosePutRecordBatch request, CancellationToken cancellationToken);
