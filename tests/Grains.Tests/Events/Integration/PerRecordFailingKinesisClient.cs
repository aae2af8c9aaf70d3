using Personalization.Aws.Kinesis;

namespace Personalization.Grains.Tests.Events.Integration;

/// <summary>
/// kinesalite never fails single records, so for its first <c>failingCalls</c> calls this client forwards only every
/// other record and reports the rest as <c>ProvisionedThroughputExceededException</c>, as a hot shard does.
/// </summary>
internal sealed class PerRecordFailingKinesisClient(IKinesisClient inner, int failingCalls) : IKinesisClient
{
    private int _calls;
    private int _failedRecords;

    public int FailedRecords => Volatile.Read(ref _failedRecords);

    public async Task<PutRecordsOutput> PutRecordsAsync(PutRecordsInput request, CancellationToken cancellationToken = default)
    {
        if (Interlocked.Increment(ref _calls) > failingCalls || request.Records.Count < 2)
        {
            return await inner.PutRecordsAsync(request, cancellationToken).ConfigureAwait(false);
        }

        var forwarded = request.Records.Where((_, i) => i % 2 == 0).ToList();
        var output = await inner.PutRecordsAsync(
            new PutRecordsInput { StreamName = request.StreamName, StreamARN = request.StreamARN, Records = forwarded },
            cancellationToken).ConfigureAwait(false);
        var merged = new PutRecordsOutput { EncryptionType = output.EncryptionType, FailedRecordCount = output.FailedRecordCount ?? 0 };
        for (var i = 0; i < request.Records.Count; i++)
        {
            if (i % 2 == 0)
            {
                merged.Records.Add(output.Records[i / 2]);
            }
            else
            {
                merged.Records.Add(new PutRecordsResultEntry { ErrorCode = "ProvisionedThroughputExceededException", ErrorMessage = "Rate exceeded for shard." });
                merged.FailedRecordCount++;
                Interlocked.Increment(ref _failedRecords);
            }
        }

        return merged;
    }
}
