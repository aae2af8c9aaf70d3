using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using Personalization.Runtime.Storage;
using Personalization.Runtime.Storage.DynamoDB;
using Personalization.TestSupport;

namespace Personalization.Runtime.Tests.Storage;

public sealed class DynamoDBGrainStorageTests(DynaliteFixture dynalite) : IClassFixture<DynaliteFixture>, IDisposable
{
    private static int _tables;
    private readonly AmazonDynamoDBClient _client = new(
        new BasicAWSCredentials("test", "test"),
        new AmazonDynamoDBConfig { ServiceURL = dynalite.ServiceUrl.ToString(), AuthenticationRegion = "us-east-1" });

    private static readonly GrainId Grain = new("UserGrain", "user-1");

    [Fact]
    public async Task Creates_the_table_and_round_trips_state_with_numeric_etags()
    {
        var (storage, table) = Storage();

        Assert.Null(await storage.ReadAsync(Grain, "profile", default));
        var first = await storage.WriteAsync(Grain, "profile", "{\"a\":1}"u8.ToArray(), null, default);
        var second = await storage.WriteAsync(Grain, "profile", "{\"a\":2}"u8.ToArray(), first, default);
        var record = await storage.ReadAsync(Grain, "profile", default);

        Assert.Equal(("1", "2"), (first, second));
        Assert.Equal("{\"a\":2}", System.Text.Encoding.UTF8.GetString(record!.State.Span));
        Assert.Equal("2", record.Etag);
        var description = await _client.DescribeTableAsync(table);
        Assert.Equal(["GrainReference", "GrainType"], description.Table.KeySchema.Select(k => k.AttributeName));
        var item = await RawItemAsync(table, "profile");
        Assert.Equal("2", item["ETag"].N);
        Assert.Equal("test_UserGrain/user-1", item["GrainReference"].S);
    }

    [Fact]
    public async Task Stale_and_duplicate_first_writes_are_conflicts()
    {
        var (storage, _) = Storage();
        var etag = await storage.WriteAsync(Grain, "profile", new byte[] { 1 }, null, default);
        await storage.WriteAsync(Grain, "profile", new byte[] { 2 }, etag, default);

        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteAsync(Grain, "profile", new byte[] { 3 }, etag, default));
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteAsync(Grain, "profile", new byte[] { 3 }, null, default));
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.ClearAsync(Grain, "profile", etag, default));
        Assert.Equal([2], (await storage.ReadAsync(Grain, "profile", default))!.State.ToArray());
    }

    [Fact]
    public async Task Clear_deletes_the_item()
    {
        var (storage, _) = Storage();
        var etag = await storage.WriteAsync(Grain, "profile", new byte[] { 1 }, null, default);

        await storage.ClearAsync(Grain, "profile", etag, default);

        Assert.Null(await storage.ReadAsync(Grain, "profile", default));
        Assert.Equal("1", await storage.WriteAsync(Grain, "profile", new byte[] { 1 }, null, default));
    }

    [Fact]
    public async Task State_over_400_KiB_is_rejected_before_calling_AWS()
    {
        var (storage, table) = Storage();

        var error = await Assert.ThrowsAsync<GrainStateTooLargeException>(
            () => storage.WriteAsync(Grain, "profile", new byte[DynamoDBGrainStorage.MaxItemBytes], null, default));

        Assert.Contains("400 KiB", error.Message);
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => _client.DescribeTableAsync(table)); // AWS was never called

        Assert.Equal("1", await storage.WriteAsync(Grain, "profile", new byte[300 * 1024], null, default));
        Assert.Equal(300 * 1024, (await RawItemAsync(table, "profile"))["BinaryState"].B.Length);
    }

    [Fact]
    public async Task Writes_the_ttl_attribute_when_configured()
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var (storage, table) = Storage(o =>
        {
            o.TimeToLive = TimeSpan.FromDays(1);
            o.TimeToLiveAttributeName = "ExpiresAt";
        }, clock);

        await storage.WriteAsync(Grain, "profile", new byte[] { 1 }, null, default);

        var item = await RawItemAsync(table, "profile");
        Assert.Equal(new DateTimeOffset(2026, 1, 2, 0, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), item["ExpiresAt"].N);
    }

    public void Dispose() => _client.Dispose();

    private (IGrainStorage Storage, string Table) Storage(Action<DynamoDBGrainStorageOptions>? configure = null, TimeProvider? clock = null)
    {
        var table = $"grains-{Interlocked.Increment(ref _tables)}";
        var options = new DynamoDBGrainStorageOptions { TableName = table, ServiceId = "test", CreateIfNotExists = true };
        configure?.Invoke(options);
        return (new DynamoDBGrainStorage("dynamo", _client, options, clock ?? TimeProvider.System), table);
    }

    private async Task<Dictionary<string, AttributeValue>> RawItemAsync(string table, string stateName)
    {
        var response = await _client.GetItemAsync(new GetItemRequest
        {
            TableName = table,
            ConsistentRead = true,
            Key = new Dictionary<string, AttributeValue>
            {
                ["GrainReference"] = new() { S = "test_UserGrain/user-1" },
                ["GrainType"] = new() { S = stateName },
            },
        });
        return response.Item ?? [];
    }
}
