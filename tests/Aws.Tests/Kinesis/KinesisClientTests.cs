using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Personalization.Aws.Configuration;
using Personalization.Aws.Errors;
using Personalization.Aws.Kinesis;
using Personalization.Aws.Transport;
using Personalization.TestSupport;
using Xunit;

namespace Personalization.Aws.Tests.Kinesis;

/// <summary>PutRecords against kinesalite; the stream is created and read back with raw signed calls.</summary>
public sealed class KinesisClientTests(KinesaliteFixture kinesalite) : IClassFixture<KinesaliteFixture>, IDisposable
{
    private readonly AwsClientFactory _factory = new(new AwsClientOptions
    {
        Region = "us-east-1",
        AccessKeyId = "AKIDKINESALITE",
        SecretAccessKey = "kinesalite-accepts-any-secret",
        ServiceUrls = { ["kinesis"] = kinesalite.ServiceUrl },
        RetryBaseDelay = TimeSpan.Zero,
        RetryMaxDelay = TimeSpan.Zero,
    });

    [Fact]
    public async Task PutRecords_writes_records_that_GetRecords_reads_back()
    {
        var stream = "put-records-" + Guid.NewGuid().ToString("N")[..8];
        await CreateActiveStreamAsync(stream);
        var client = _factory.CreateKinesisClient();

        var output = await client.PutRecordsAsync(new PutRecordsInput
        {
            StreamName = stream,
            Records =
            [
                new PutRecordsRequestEntry { PartitionKey = "u1", Data = Encoding.UTF8.GetBytes("{\"event\":1}") },
                new PutRecordsRequestEntry { PartitionKey = "u2", Data = new byte[] { 0, 1, 254, 255 } },
            ],
        });

        Assert.Equal(0, output.FailedRecordCount);
        Assert.Equal(2, output.Records.Count);
        Assert.All(output.Records, r => Assert.False(string.IsNullOrEmpty(r.SequenceNumber)));
        Assert.All(output.Records, r => Assert.Equal("shardId-000000000000", r.ShardId));

        var iterator = await RawAsync("GetShardIterator", new JsonObject { ["StreamName"] = stream, ["ShardId"] = "shardId-000000000000", ["ShardIteratorType"] = "TRIM_HORIZON" });
        var records = await RawAsync("GetRecords", new JsonObject { ["ShardIterator"] = iterator["ShardIterator"]!.GetValue<string>() });
        var data = records["Records"]!.AsArray().Select(r => Convert.FromBase64String(r!["Data"]!.GetValue<string>())).ToList();
        Assert.Equal([Encoding.UTF8.GetBytes("{\"event\":1}"), new byte[] { 0, 1, 254, 255 }], data);
        Assert.Equal(["u1", "u2"], records["Records"]!.AsArray().Select(r => r!["PartitionKey"]!.GetValue<string>()));
    }

    [Fact]
    public async Task PutRecords_to_a_missing_stream_is_ResourceNotFound()
    {
        var client = _factory.CreateKinesisClient();

        var error = await Assert.ThrowsAsync<AwsResourceNotFoundException>(() => client.PutRecordsAsync(new PutRecordsInput
        {
            StreamName = "no-such-stream",
            Records = [new PutRecordsRequestEntry { PartitionKey = "p", Data = new byte[] { 1 } }],
        }));

        Assert.Equal("ResourceNotFoundException", error.ErrorCode);
        Assert.Equal(("kinesis", "PutRecords"), (error.Service, error.Operation));
    }

    [Fact]
    public async Task Invalid_input_is_a_validation_error()
    {
        var stream = "invalid-" + Guid.NewGuid().ToString("N")[..8];
        await CreateActiveStreamAsync(stream);
        var client = _factory.CreateKinesisClient();

        var error = await Assert.ThrowsAsync<AwsValidationException>(() => client.PutRecordsAsync(new PutRecordsInput { StreamName = stream, Records = [] }));

        Assert.Equal("ValidationException", error.ErrorCode);
    }

    public void Dispose() => _factory.Dispose();

    private async Task CreateActiveStreamAsync(string stream)
    {
        await RawAsync("CreateStream", new JsonObject { ["StreamName"] = stream, ["ShardCount"] = 1 });
        // kinesalite flips CREATING to ACTIVE on its next tick even with createStreamMs:0.
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var description = await RawAsync("DescribeStream", new JsonObject { ["StreamName"] = stream });
            if (description["StreamDescription"]!["StreamStatus"]!.GetValue<string>() == "ACTIVE")
            {
                return;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(20));
        }

        throw new TimeoutException($"stream {stream} did not become ACTIVE");
    }

    /// <summary>A signed awsJson call outside the typed client (kinesis operations the project does not wrap).</summary>
    private Task<JsonNode> RawAsync(string operation, JsonObject body) =>
        _factory.Transport.SendAsync(
            AwsService.Kinesis,
            new AwsRequest(operation, HttpMethod.Post, "/", Encoding.UTF8.GetBytes(body.ToJsonString())),
            0,
            static async (response, _, ct) =>
            {
                var text = await response.Content.ReadAsStringAsync(ct);
                return text.Length == 0 ? new JsonObject() : JsonNode.Parse(text) ?? throw new JsonException("null response");
            },
            CancellationToken.None);
}
