using System.Text.Json.Nodes;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Personalization.Grains.Catalog;
using Personalization.TestSupport;

namespace Personalization.Catalog.Aws.Tests;

/// <summary>Decoration reads from <c>PersonalizationApiItemMetadata_{ns}</c> on dynalite, and the per-silo cache in front of them.</summary>
[Collection(LocalServersCollection.Name)]
public sealed class DynamoDBItemMetadataTests(LocalServers servers) : IDisposable
{
    private readonly AmazonDynamoDBClient _client = servers.DynamoDB();
    private readonly List<string> _files = [];

    public void Dispose()
    {
        _client.Dispose();
        _files.ForEach(File.Delete);
    }

    private static IOptions<CatalogSourceOptions> Options(int retries = 3, int cacheSize = 1000, TimeSpan? ttl = null, TimeSpan? timeout = null) => Microsoft.Extensions.Options.Options.Create(new CatalogSourceOptions
    {
        DynamoDB = new DynamoDBItemMetadataOptions { UnprocessedRetries = retries, CacheSize = cacheSize, CacheTtl = ttl ?? TimeSpan.FromMinutes(5), Timeout = timeout ?? TimeSpan.FromSeconds(10) },
    });

    private static DynamoDBItemMetadataReader Reader(IAmazonDynamoDB client, int retries = 3) =>
        new(client, Options(retries), TimeProvider.System, NullLogger<DynamoDBItemMetadataReader>.Instance);

    /// <summary>A namespace whose table holds <paramref name="count"/> items, loaded as `catalog load` does.</summary>
    private async Task<string> NamespaceWithItemsAsync(int count)
    {
        var ns = LocalServers.NewName("ns");
        var file = CatalogFiles.Write(CatalogFiles.Items(count));
        _files.Add(file);
        var summary = await new DynamoDBCatalogLoader(_client, TimeProvider.System, NullLogger<DynamoDBCatalogLoader>.Instance)
            .LoadAsync(file, new CatalogLoadOptions { TableName = Options().Value.DynamoDB.TableName(ns) }, null, CancellationToken.None);
        Assert.True(summary.Succeeded);
        return ns;
    }

    [Fact]
    public async Task Ids_are_read_in_chunks_of_100_and_absent_ids_are_neither_found_nor_unresolved()
    {
        var ns = await NamespaceWithItemsAsync(300);
        var faults = new FaultInjector();
        using var client = servers.DynamoDB(faults);
        string[] ids = [.. Enumerable.Range(0, 240).Select(i => $"i{i:D5}"), "nope-1", "nope-2"];

        var batch = await Reader(client).ReadAsync(ns, ids, CancellationToken.None);

        Assert.Equal(3, faults.Calls("BatchGetItem"));
        Assert.Equal(240, batch.Found.Count);
        Assert.Empty(batch.Unresolved);
        var item = JsonNode.Parse(batch.Found["i00007"].Span)!;
        Assert.Equal("Item 7", (string?)item["name"]);
        Assert.Equal(2.75, (double?)item["price"]);
        Assert.Equal("b", (string?)item["tags"]![1]);
        Assert.Null(item["id"]);
    }

    [Fact]
    public async Task Unprocessed_keys_are_asked_again_with_backoff()
    {
        var ns = await NamespaceWithItemsAsync(150);
        var faults = new FaultInjector { Plan = (operation, call) => operation == "BatchGetItem" && call <= 4 ? Fault.Unprocessed : Fault.None };
        using var client = servers.DynamoDB(faults);

        var batch = await Reader(client, retries: 3).ReadAsync(ns, [.. Enumerable.Range(0, 150).Select(i => $"i{i:D5}")], CancellationToken.None);

        Assert.Equal(150, batch.Found.Count);
        Assert.Empty(batch.Unresolved);
        Assert.Equal(6, faults.Calls("BatchGetItem"));
    }

    [Fact]
    public async Task Keys_still_unprocessed_after_the_last_round_are_returned_as_unresolved_not_dropped()
    {
        var ns = await NamespaceWithItemsAsync(20);
        var faults = new FaultInjector { Plan = (operation, _) => operation == "BatchGetItem" ? Fault.Unprocessed : Fault.None };
        using var client = servers.DynamoDB(faults);

        var batch = await Reader(client, retries: 2).ReadAsync(ns, ["i00001", "i00002", "absent"], CancellationToken.None);

        Assert.Empty(batch.Found);
        Assert.Equal(["absent", "i00001", "i00002"], batch.Unresolved.Order(StringComparer.Ordinal));
        Assert.Equal(3, faults.Calls("BatchGetItem"));
    }

    [Fact]
    public async Task Throttling_and_a_missing_table_leave_items_unresolved_without_throwing()
    {
        var ns = await NamespaceWithItemsAsync(5);
        var faults = new FaultInjector { Plan = (operation, _) => operation == "BatchGetItem" ? Fault.Throttle : Fault.None };
        using var throttled = servers.DynamoDB(faults, maxRetries: 1);

        var batch = await Reader(throttled).ReadAsync(ns, ["i00001"], CancellationToken.None);
        Assert.Equal(["i00001"], batch.Unresolved);

        var missing = await Reader(_client).ReadAsync("no-such-namespace", ["i00001"], CancellationToken.None);
        Assert.Equal(["i00001"], missing.Unresolved);
    }

    [Fact]
    public async Task Items_in_the_original_loaders_shape_and_flat_items_both_decorate()
    {
        var ns = LocalServers.NewName("shapes");
        var table = Options().Value.DynamoDB.TableName(ns);
        await _client.CreateActiveTableAsync(new CreateTableRequest
        {
            TableName = table,
            KeySchema = [new KeySchemaElement("id", KeyType.HASH)],
            AttributeDefinitions = [new AttributeDefinition("id", ScalarAttributeType.S)],
            BillingMode = BillingMode.PAY_PER_REQUEST,
        });

        // As the original's loader wrote it (boto3 turns floats into Decimal numbers).
        await _client.PutItemAsync(table, new()
        {
            ["id"] = new() { S = "orig" },
            ["version"] = new() { S = "2024-04-05T10:00:00.000" },
            ["put_via"] = new() { S = "bulk" },
            ["attributes"] = new() { M = new() { ["name"] = new() { S = "Original" }, ["price"] = new() { N = "12.5" }, ["sizes"] = new() { L = [new() { N = "1" }, new() { N = "2" }] }, ["sale"] = new() { BOOL = false } } },
        });
        await _client.PutItemAsync(table, new()
        {
            ["id"] = new() { S = "flat" },
            ["name"] = new() { S = "Flat" },
            ["colors"] = new() { SS = ["red"] },
        });

        var batch = await Reader(_client).ReadAsync(ns, ["orig", "flat"], CancellationToken.None);

        Assert.Equal("""{"name":"Original","price":12.5,"sizes":[1,2],"sale":false}""", Canonical(batch.Found["orig"]));
        Assert.Equal("""{"name":"Flat","colors":["red"]}""", Canonical(batch.Found["flat"]));
    }

    [Fact]
    public async Task The_silo_cache_answers_repeats_until_its_ttl_and_stays_within_its_size()
    {
        var ns = await NamespaceWithItemsAsync(50);
        var faults = new FaultInjector();
        using var client = servers.DynamoDB(faults);
        var clock = new ManualTimeProvider();
        var options = Options(cacheSize: 30, ttl: TimeSpan.FromSeconds(60));
        var remote = new RemoteItemMetadata(options, clock, NullLogger<RemoteItemMetadata>.Instance, new DynamoDBItemMetadataReader(client, options, TimeProvider.System, NullLogger<DynamoDBItemMetadataReader>.Instance));

        string[] ids = ["i00001", "i00002", "absent", "i00001"];
        var first = await remote.GetAsync(ns, ids, CancellationToken.None);
        Assert.True(first.IsComplete);
        Assert.Equal(first.Metadata[0].ToArray(), first.Metadata[3].ToArray());
        Assert.True(first.Metadata[2].IsEmpty);
        Assert.Equal(1, faults.Calls("BatchGetItem"));

        // Found and absent items alike come from the cache within the TTL.
        var second = await remote.GetAsync(ns, ids, CancellationToken.None);
        Assert.Equal(1, faults.Calls("BatchGetItem"));
        Assert.Equal(first.Metadata[1].ToArray(), second.Metadata[1].ToArray());

        clock.Advance(TimeSpan.FromSeconds(61));
        await remote.GetAsync(ns, ids, CancellationToken.None);
        Assert.Equal(2, faults.Calls("BatchGetItem"));

        // 40 more items: the cache keeps 30, the least recently used go first.
        await remote.GetAsync(ns, [.. Enumerable.Range(10, 40).Select(i => $"i{i:D5}")], CancellationToken.None);
        Assert.Equal(30, remote.Cache.Count);
        Assert.False(remote.Cache.TryGet(ns, "i00001", out _));
        Assert.True(remote.Cache.TryGet(ns, "i00049", out _));
    }

    [Fact]
    public async Task When_the_table_does_not_answer_the_known_items_decorate_and_the_rest_are_counted()
    {
        var ns = await NamespaceWithItemsAsync(10);
        var faults = new FaultInjector();
        using var client = servers.DynamoDB(faults, maxRetries: 0);
        var options = Options(retries: 0);
        var remote = new RemoteItemMetadata(options, TimeProvider.System, NullLogger<RemoteItemMetadata>.Instance, new DynamoDBItemMetadataReader(client, options, TimeProvider.System, NullLogger<DynamoDBItemMetadataReader>.Instance));
        await remote.GetAsync(ns, ["i00001"], CancellationToken.None);

        faults.Plan = (operation, _) => operation == "BatchGetItem" ? Fault.Throttle : Fault.None;
        var degraded = await remote.GetAsync(ns, ["i00001", "i00002", "i00003"], CancellationToken.None);

        Assert.False(degraded.IsComplete);
        Assert.Equal(2, degraded.UnresolvedCount);
        Assert.False(degraded.Metadata[0].IsEmpty);
        Assert.True(degraded.Metadata[1].IsEmpty);

        // Unresolved items are not cached as absent: once the table answers, they decorate.
        faults.Plan = (_, _) => Fault.None;
        var recovered = await remote.GetAsync(ns, ["i00002"], CancellationToken.None);
        Assert.True(recovered.IsComplete);
        Assert.False(recovered.Metadata[0].IsEmpty);
    }

    [Fact]
    public async Task A_decoration_past_its_time_budget_returns_what_it_has()
    {
        var ns = await NamespaceWithItemsAsync(5);
        await servers.Dynalite.SuspendAsync();
        try
        {
            var options = Options(timeout: TimeSpan.FromMilliseconds(300));
            using var client = servers.DynamoDB();
            var remote = new RemoteItemMetadata(options, TimeProvider.System, NullLogger<RemoteItemMetadata>.Instance, new DynamoDBItemMetadataReader(client, options, TimeProvider.System, NullLogger<DynamoDBItemMetadataReader>.Instance));
            var started = System.Diagnostics.Stopwatch.StartNew();

            var result = await remote.GetAsync(ns, ["i00001", "i00002"], CancellationToken.None);

            Assert.True(started.Elapsed < TimeSpan.FromSeconds(3), $"took {started.Elapsed}");
            Assert.Equal(2, result.UnresolvedCount);
        }
        finally
        {
            await servers.Dynalite.ResumeAsync();
        }
    }

    private static string Canonical(ReadOnlyMemory<byte> json) => JsonNode.Parse(json.Span)!.ToJsonString();
}
