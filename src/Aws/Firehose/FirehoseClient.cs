using Personalization.Aws.Configuration;
using Personalization.Aws.Transport;

namespace Personalization.Aws.Firehose;

public sealed class FirehoseClient(AwsTransport transport) : IFirehoseClient
{
    public async Task<PutRecordBatchOutput> PutRecordBatchAsync(PutRecordBatchInput request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrEmpty(request.DeliveryStreamName))
        {
            throw new ArgumentException("PutRecordBatch needs DeliveryStreamName.", nameof(request));
        }

        return await transport.InvokeJsonAsync(AwsService.Firehose, "PutRecordBatch", HttpMethod.Post, "/", request, FirehoseJsonContext.Default.PutRecordBatchInput, FirehoseJsonContext.Default.PutRecordBatchOutput, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidDataException("Firehose PutRecordBatch returned an empty body.");
    }
}
