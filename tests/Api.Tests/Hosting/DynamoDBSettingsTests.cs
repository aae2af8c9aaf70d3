using System.Net;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using Personalization.TestSupport;
using Xunit;

namespace Personalization.Api.Tests.Hosting;

/// <summary>
/// `Storage__Provider=dynamodb` and `Cluster__Provider=dynamodb` through the real silo's settings against dynalite:
/// the tables named by `Storage__DynamoDB__TableName` / `Cluster__DynamoDB__TableName` are created
/// (`__CreateIfNotExists`), the client follows `Aws__ServiceUrls__dynamodb` and the `Aws` timeout and retries; a user's
/// state (written when the silo stops and the grain deactivates) lands under the cluster's ServiceId, and the silo's
/// membership row is Active at the configured ports, then Dead once it stops.
/// </summary>
public sealed class DynamoDBSettingsTests : IAsyncLifetime
{
    private const string Config = """
        { "version": "ddb-1",
          "namespaces": { "shop": {
            "recommenders": { "recommend-items": { "top": { "variations": { "t": { "type": "builtin", "algorithm": "trending" } } } } },
            "eventTargets": [{ "type": "file", "path": "events.jsonl" }] } } }
        """;

    private readonly DynaliteFixture _dynalite = new();
    private readonly string _folder = Directory.CreateTempSubdirectory("ddb-settings-").FullName;

    public Task InitializeAsync() => _dynalite.InitializeAsync();

    public async Task DisposeAsync()
    {
        await _dynalite.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task A_users_state_is_stored_in_the_configured_table()
    {
        var table = "grain-state-" + Guid.NewGuid().ToString("N")[..8];
        var silo = await LoopbackSilo.StartAsync(_folder, Config,
        [
            "--Storage:Provider=dynamodb",
            "--Storage:DynamoDB:TableName=" + table,
            "--Storage:DynamoDB:CreateIfNotExists=true",
            "--Cluster:ServiceId=ddb-settings",
            "--Aws:Region=eu-west-1",
            "--Aws:ServiceUrls:dynamodb=" + _dynalite.ServiceUrl,
            "--Aws:AccessKeyId=test",
            "--Aws:SecretAccessKey=test",
        ]);
        await using (silo)
        {
            using var events = await silo.Client.PostAsync(
                "/events/shop",
                new StringContent("""{"sessionId":"s1","userId":"alice","eventList":[{"eventType":"click","itemId":"i1"}]}"""));
            Assert.Equal(HttpStatusCode.OK, events.StatusCode);
        }

        // The silo has stopped: the user grain deactivated and flushed its state.
        using var client = new AmazonDynamoDBClient(new BasicAWSCredentials("test", "test"), new AmazonDynamoDBConfig { ServiceURL = _dynalite.ServiceUrl.ToString(), AuthenticationRegion = "eu-west-1" });
        var scan = await client.ScanAsync(new ScanRequest { TableName = table });
        var keys = (scan.Items ?? []).Select(item => item["GrainReference"].S + " " + item["GrainType"].S).ToList();
        Assert.Contains(keys, key => key.StartsWith("ddb-settings_", StringComparison.Ordinal) && key.Contains("alice", StringComparison.Ordinal) && key.EndsWith(" user", StringComparison.Ordinal));
    }

    [Fact]
    public void The_client_follows_the_Aws_timeout_and_retry_settings_so_an_outage_fails_fast()
    {
        var aws = new Personalization.Aws.Configuration.AwsClientOptions { Timeout = TimeSpan.FromSeconds(2), MaxRetries = 1 };
        aws.ServiceUrls["dynamodb"] = _dynalite.ServiceUrl;
        using var client = Personalization.Silo.Hosting.AwsSdkClients.DynamoDB(aws);
        Assert.Equal(TimeSpan.FromSeconds(2), client.Config.Timeout);
        Assert.Equal(1, client.Config.MaxErrorRetry);
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
