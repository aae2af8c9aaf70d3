using Personalization.Aws.Configuration;
using Personalization.Aws.Errors;
using Personalization.Aws.Firehose;
using Personalization.TestSupport;
using Xunit;
using Record = Personalization.Aws.Firehose.Record;

namespace Personalization.Aws.Tests.Transport;

public sealed class NetworkFailureTests
{
    [Fact]
    public async Task An_unreachable_endpoint_is_retried_then_reported_as_unavailable()
    {
        var closedPort = NodeEmulator.FreeLoopbackPort();
        using var factory = new AwsClientFactory(new AwsClientOptions
        {
            Region = "us-east-1",
            AccessKeyId = "AKID",
            SecretAccessKey = "secret",
            MaxRetries = 1,
            RetryBaseDelay = TimeSpan.Zero,
            RetryMaxDelay = TimeSpan.Zero,
            ServiceUrls = { ["firehose"] = new Uri($"http://127.0.0.1:{closedPort}") },
        });

        var error = await Assert.ThrowsAsync<AwsServiceUnavailableException>(() => factory.CreateFirehoseClient().PutRecordBatchAsync(
            new PutRecordBatchInput { DeliveryStreamName = "s", Records = [new Record { Data = new byte[] { 1 } }] }));

        Assert.Equal(AwsServiceUnavailableException.NetworkErrorCode, error.ErrorCode);
        Assert.IsType<HttpRequestException>(error.InnerException);
        Assert.Contains(closedPort.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Message);
    }
}
