using System.Net;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using Personalization.TestSupport;
using Xunit;

namespace Personalization.Api.Tests.Hosting;

/// <summary>
/// `Cluster__Provider=dynamodb` through the real silo's settings against dynalite: the table named by
/// `Cluster__DynamoDB__TableName` is created (`__CreateIfNotExists`), the client follows `Aws__ServiceUrls__dynamodb`,
/// the silo becomes ready, and its row is Active at the configured silo and gateway ports, then Dead once it stops.
/// </summary>
public sealed class DynamoDBClusteringSettingsTests : IAsyncLifetime
{
    private const string Config = """
        { "version": "ddb-cluster-1",
          "namespaces": { "shop": {
            "recommenders": { "recommend-items": { "top": { "variations": { "t": { "type": "builtin", "algorithm": "trending" } } } } },
            "eventTargets": [{ "type": "file", "path": "events.jsonl" }] } } }
        """;

    private readonly DynaliteFixture _dynalite = new();
    private readonly string _folder = Directory.CreateTempSubdirectory("ddb-cluster-").FullName;

    public Task InitializeAsync() => _dynalite.InitializeAsync();

    public async Task DisposeAsync()
    {
        await _dynalite.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task The_silo_joins_through_the_configured_table()
    {
        var table = "silos-" + Guid.NewGuid().ToString("N")[..8];
        var siloPort = NodeEmulator.FreeLoopbackPort();
        var gatewayPort = NodeEmulator.FreeLoopbackPort();
        var silo = await LoopbackSilo.StartAsync(_folder, Config,
        [
            "--Cluster:Provider=dynamodb",
            "--Cluster:DynamoDB:TableName=" + table,
            "--Cluster:DynamoDB:CreateIfNotExists=true",
            "--Cluster:ServiceId=ddb-cluster",
            "--Cluster:ClusterId=blue",
            FormattableString.Invariant($"--Cluster:SiloPort={siloPort}"),
            FormattableString.Invariant($"--Cluster:GatewayPort={gatewayPort}"),
            "--Aws:Region=eu-west-1",
            "--Aws:ServiceUrls:dynamodb=" + _dynalite.ServiceUrl,
            "--Aws:AccessKeyId=test",
            "--Aws:SecretAccessKey=test",
        ]);
        using var client = new AmazonDynamoDBClient(new BasicAWSCredentials("test", "test"), new AmazonDynamoDBConfig { ServiceURL = _dynalite.ServiceUrl.ToString(), AuthenticationRegion = "eu-west-1" });
        await using (silo)
        {
            using var ready = await silo.Client.GetAsync("/ready");
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
            var row = await SingleRowAsync(client, table);
            Assert.StartsWith(FormattableString.Invariant($"127.0.0.1:{siloPort}@"), row.Key);
            Assert.Contains("\"Status\":\"Active\"", row.Value, StringComparison.Ordinal);
            Assert.Contains(FormattableString.Invariant($"\"ProxyPort\":{gatewayPort}"), row.Value, StringComparison.Ordinal);
        }

        Assert.Contains("\"Status\":\"Dead\"", (await SingleRowAsync(client, table)).Value, StringComparison.Ordinal);
    }

    private static async Task<KeyValuePair<string, string>> SingleRowAsync(AmazonDynamoDBClient client, string table)
    {
        var item = (await client.GetItemAsync(new GetItemRequest
        {
            TableName = table,
            ConsistentRead = true,
            Key = new Dictionary<string, AttributeValue> { ["ClusterId"] = new() { S = "ddb-cluster/blue" } },
        })).Item;
        var row = Assert.Single(item["Rows"].M);
        return new(row.Key, row.Value.M["Entry"].S);
    }
}
