using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Personalization.Aws;
using Personalization.Aws.Configuration;
using Personalization.Aws.Transport;

namespace Personalization.Grains.Tests.Events.Integration;

/// <summary>
/// Creates a one-shard stream on kinesalite and reads it back with raw signed calls: the project wraps only
/// PutRecords (a minimal copy of the helper in Aws.Tests, which is private there).
/// </summary>
internal sealed class KinesisStreamReader(AwsClientFactory factory)
{
    private const string ShardId = "shardId-000000000000";

    public async Task CreateActiveStreamAsync(string stream)
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

    /// <summary>Every record in the shard, oldest first: pages until a read returns nothing.</summary>
    public async Task<IReadOnlyList<(string PartitionKey, byte[] Data)>> ReadAllAsync(string stream)
    {
        var iterator = (await RawAsync("GetShardIterator", new JsonObject { ["StreamName"] = stream, ["ShardId"] = ShardId, ["ShardIteratorType"] = "TRIM_HORIZON" }))["ShardIterator"]!.GetValue<string>();
        var records = new List<(string, byte[])>();
        for (var page = 0; page < 1000; page++)
        {
            var response = await RawAsync("GetRecords", new JsonObject { ["ShardIterator"] = iterator, ["Limit"] = 10_000 });
            var batch = response["Records"]!.AsArray();
            foreach (var record in batch)
            {
                records.Add((record!["PartitionKey"]!.GetValue<string>(), Convert.FromBase64String(record["Data"]!.GetValue<string>())));
            }

            if (batch.Count == 0 || response["NextShardIterator"] is not { } next)
            {
                return records;
            }

            iterator = next.GetValue<string>();
        }

        throw new InvalidOperationException($"stream {stream} did not end within 1000 pages");
    }

    private Task<JsonNode> RawAsync(string operation, JsonObject body) =>
        factory.Transport.SendAsync(
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
