using Personalization.Aws.Firehose;

namespace Personalization.Grains.Tests.Events.Integration;

/// <summary>
/// LocalAws cannot answer PutRecordBatch with per-record failures, so this client stands in front of the real one:
/// for its first <c>failingCalls</c> calls it forwards only every other record and reports the rest as
/// <c>ServiceUnavailableException</c> entries with a FailedPutCount, as Firehose does under per-record throttling.
/// </summary>
internal sealed class PerRecordFailingFirehoseClient(IFirehoseClient inner, int failingCalls) : IFirehoseClient
{
    private int _calls;
    private int _failedRecords;

    public int FailedRecords => Volatile.Read(ref _failedRecords);

    public async Task<PutRecordBatchOutput> PutRecordBatchAsync(PutRecordBatchInput request, CancellationToken cancellationToken = default)
    {
        if (Interlocked.Increment(ref _calls) > failingCalls || request.Records.Count < 2)
        {
            return await inner.PutRecordBatchAsync(request, cancellationToken).ConfigureAwait(false);
        }

        var forwarded = request.Records.Where((_, i) => i % 2 == 0).ToList();
        var output = await inner.PutRecordBatchAsync(new PutRecordBatchInput { DeliveryStreamName = request.DeliveryStreamName, Records = forwarded }, cancellationToken).ConfigureAwait(false);
        var merged = new PutRecordBatchOutput { Encrypted = output.Encrypted, FailedPutCount = output.FailedPutCount };
        for (var i = 0; i < request.Records.Count; i++)
        {
            if (i % 2 == 0)
            {
                merged.RequestResponses.Add(output.RequestResponses[i / 2]);
            }
            else
            {
                merged.RequestResponses.Add(new PutRecordBatchResponseEntry { ErrorCode = "ServiceUnavailableException", ErrorMessage = "Slow down." });
                merged.FailedPutCount++;
                Interlocked.Increment(ref _failedRecords);
            }
        }

        return merged;
    }
}
