using System.Collections.Concurrent;
using Personalization.Aws.Firehose;

namespace Personalization.LocalAws.Services;

/// <summary>Firehose PutRecordBatch: accepts up to 500 records and keeps them per delivery stream.</summary>
public sealed class FirehoseHandler
{
    private readonly ConcurrentDictionary<string, ConcurrentQueue<byte[]>> _streams = new(StringComparer.Ordinal);
    private long _nextRecordId;

    /// <summary>Records delivered to <paramref name="deliveryStreamName"/>, in arrival order.</summary>
    public IReadOnlyList<byte[]> Records(string deliveryStreamName) =>
        _streams.TryGetValue(deliveryStreamName, out var queue) ? queue.ToArray() : [];

    public LocalResponse Handle(string operation, ReadOnlyMemory<byte> body)
    {
        if (operation != "PutRecordBatch")
        {
            throw new LocalAwsException(400, "UnknownOperationException", "The local server supports only Firehose PutRecordBatch, not " + operation);
        }

        var input = LocalResponse.Read(body, FirehoseJsonContext.Default.PutRecordBatchInput, true);
        if (string.IsNullOrEmpty(input.DeliveryStreamName))
        {
            throw new LocalAwsException(400, "ValidationException", "DeliveryStreamName is required.");
        }

        if (input.Records is not { Count: >= 1 and <= 500 })
        {
            throw new LocalAwsException(400, "ValidationException", "Records must have between 1 and 500 entries.");
        }

        var queue = _streams.GetOrAdd(input.DeliveryStreamName, _ => new ConcurrentQueue<byte[]>());
        var output = new PutRecordBatchOutput { FailedPutCount = 0, Encrypted = false };
        foreach (var record in input.Records)
        {
            queue.Enqueue(record.Data.ToArray());
            output.RequestResponses.Add(new PutRecordBatchResponseEntry { RecordId = "rec-" + Interlocked.Increment(ref _nextRecordId) });
        }

        return LocalResponse.Json(output, FirehoseJsonContext.Default.PutRecordBatchOutput, true);
    }
}
