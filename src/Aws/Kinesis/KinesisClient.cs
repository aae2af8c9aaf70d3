using Personalization.Aws.Configuration;
using Personalization.Aws.Transport;

namespace Personalization.Aws.Kinesis;

public sealed class KinesisClient(AwsTransport transport) : IKinesisClient
{
    public async Task<PutRecordsOutput> PutRecordsAsync(PutRecordsInput request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrEmpty(request.StreamName) && string.IsNullOrEmpty(request.StreamARN))
        {
            throw new ArgumentException("PutRecords needs StreamName or StreamARN.", nameof(request));
        }

        return await transport.InvokeJsonAsync(AwsService.Kinesis, "PutRecords", HttpMethod.Post, "/", request, KinesisJsonContext.Default.PutRecordsInput, KinesisJsonContext.Default.PutRecordsOutput, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidDataException("Kinesis PutRecords returned an empty body.");
    }
}
