using System.Diagnostics;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Microsoft.Extensions.Logging.Abstractions;

namespace Personalization.Catalog.Aws.Tests;

/// <summary><c>catalog load</c>'s writer against dynalite: 10,000-item loads, full replacement, bad lines, throttling.</summary>
[Collection(LocalServersCollection.Name)]
public sealed class CatalogLoadTests(LocalServers servers) : IDisposable
{
    private readonly List<string> _files = [];
    private readonly AmazonDynamoDBClient _client = servers.DynamoDB();

    public void Dispose()
    {
        _client.Dispose();
        _files.ForEach(File.Delete);
    }

    private string File_(IEnumerable<string> lines, bool gzip = false)
    {
        var path = CatalogFiles.Write(lines, gzip);
        _files.Add(path);
        return path;
    }

    private static DynamoDBCatalogLoader Loader(IAmazonDynamoDB client) => new(client, TimeProvider.System, NullLogger<DynamoDBCatalogLoader>.Instance);

    [Fact]
    public async Task Ten_thousand_items_load_from_gzip_then_a_second_file_replaces_them_fully()
    {
        var table = LocalServers.NewName("PersonalizationApiItemMetadata_load");
        var progress = new List<CatalogLoadProgress>();
        var stopwatch = Stopwatch.StartNew();
        var first = await Loader(_client).LoadAsync(File_(CatalogFiles.Items(10_000), gzip: true), new CatalogLoadOptions { TableName = table, Parallelism = 8 }, new SyncProgress(progress), CancellationToken.None);

        Assert.True(first.TableCreated);
        Assert.True(first.Succeeded, first.PurgeSkipped);
        Assert.Equal(10_000, first.ItemsRead);
        Assert.Equal(10_000, first.ItemsWritten);
        Assert.Equal(10_000, await servers.CountAsync(_client, table));
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(60), $"10,000 items took {stopwatch.Elapsed}");
        Assert.Equal(10_000, progress[^1].ItemsWritten);
        Assert.Equal(progress[^1].TotalBytes, progress[^1].BytesRead);
        Assert.True(progress.Count > 10);

        // The second file drops the last 10 items and renames the others: they are removed, the rest replaced.
        var second = await Loader(_client).LoadAsync(File_(CatalogFiles.Items(9_990, suffix: " v2")), new CatalogLoadOptions { TableName = table, Parallelism = 8 }, null, CancellationToken.None);

        Assert.True(second.Succeeded, second.PurgeSkipped);
        Assert.False(second.TableCreated);
        Assert.Equal(10, second.StaleItems);
        Assert.Equal(10, second.ItemsRemoved);
        Assert.Equal(9_990, await servers.CountAsync(_client, table));
        var item = (await _client.GetItemAsync(table, new() { ["id"] = new() { S = "i00042" } })).Item;
        Assert.Equal("Item 42 v2", item["attributes"].M["name"].S);
        Assert.Equal("bulk", item["put_via"].S);
        Assert.NotNull(item["version"].S);
        Assert.Null((await _client.GetItemAsync(table, new() { ["id"] = new() { S = "i09995" } })).Item);
    }

    [Fact]
    public async Task Bad_lines_are_reported_by_number_the_rest_loads_and_stale_items_are_kept()
    {
        var table = LocalServers.NewName("meta-bad");
        await Loader(_client).LoadAsync(File_(["""{"id":"old","name":"kept"}"""]), new CatalogLoadOptions { TableName = table }, null, CancellationToken.None);

        var summary = await Loader(_client).LoadAsync(
            File_([
                """{"id":"a","name":"A"}""",
                """{"id":"b","name":"B"}""",
                """{"id":"c", broken""",
                "",
                """{"name":"no id"}""",
                """{"id":"a","name":"again"}""",
                """{"id":"big","n":1e300}""",
                """[1,2]""",
                """{"id":"d","nested":{"x":[1,{"y":null}],"ok":true}}""",
            ]),
            new CatalogLoadOptions { TableName = table },
            null,
            CancellationToken.None);

        Assert.Equal(3, summary.ItemsWritten);
        Assert.Equal(5, summary.BadLineCount);
        Assert.Equal([3L, 5, 6, 7, 8], summary.BadLines.Select(b => b.LineNumber));
        Assert.Contains("invalid JSON", summary.BadLines[0].Message, StringComparison.Ordinal);
        Assert.Contains("\"id\"", summary.BadLines[1].Message, StringComparison.Ordinal);
        Assert.Contains("duplicate id \"a\" (first on line 1)", summary.BadLines[2].Message, StringComparison.Ordinal);
        Assert.Contains("does not fit DynamoDB", summary.BadLines[3].Message, StringComparison.Ordinal);
        Assert.False(summary.Succeeded);
        Assert.Equal(1, summary.StaleItems);
        Assert.Equal(0, summary.ItemsRemoved);
        Assert.Contains("5 bad lines", summary.PurgeSkipped, StringComparison.Ordinal);
        Assert.Equal(4, await servers.CountAsync(_client, table));
        Assert.Equal("A", (await _client.GetItemAsync(table, new() { ["id"] = new() { S = "a" } })).Item["attributes"].M["name"].S);
    }

    [Fact]
    public async Task A_dry_run_writes_nothing_and_counts_what_would_change()
    {
        var table = LocalServers.NewName("meta-dry");
        var missing = await Loader(_client).LoadAsync(File_(CatalogFiles.Items(30)), new CatalogLoadOptions { TableName = table, DryRun = true }, null, CancellationToken.None);
        Assert.Equal(30, missing.ItemsRead);
        Assert.Equal(0, missing.ItemsWritten);
        Assert.False(missing.TableCreated);
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => _client.DescribeTableAsync(table));

        await Loader(_client).LoadAsync(File_(CatalogFiles.Items(30)), new CatalogLoadOptions { TableName = table }, null, CancellationToken.None);
        var dry = await Loader(_client).LoadAsync(File_(CatalogFiles.Items(20, " new")), new CatalogLoadOptions { TableName = table, DryRun = true }, null, CancellationToken.None);

        Assert.Equal(0, dry.ItemsWritten);
        Assert.Equal(10, dry.StaleItems);
        Assert.Equal(0, dry.ItemsRemoved);
        Assert.Equal(30, await servers.CountAsync(_client, table));
        Assert.Equal("Item 5", (await _client.GetItemAsync(table, new() { ["id"] = new() { S = "i00005" } })).Item["attributes"].M["name"].S);
    }

    [Fact]
    public async Task Throttling_and_unprocessed_items_are_retried_until_every_item_is_written()
    {
        var table = LocalServers.NewName("meta-throttle");
        var faults = new FaultInjector
        {
            // Every third BatchWriteItem is throttled (past the SDK's own retries: MaxErrorRetry 0), every fourth leaves all items unprocessed.
            Plan = (operation, call) => operation != "BatchWriteItem" ? Fault.None : call % 3 == 0 ? Fault.Throttle : call % 4 == 0 ? Fault.Unprocessed : Fault.None,
        };
        using var client = servers.DynamoDB(faults, maxRetries: 0);
        var summary = await Loader(client).LoadAsync(
            File_(CatalogFiles.Items(2_000)),
            new CatalogLoadOptions { TableName = table, FirstBackoff = TimeSpan.FromMilliseconds(1), MaxBackoff = TimeSpan.FromMilliseconds(20), MaxAttempts = 20 },
            null,
            CancellationToken.None);

        Assert.True(summary.Succeeded, string.Join("; ", summary.FailedItems));
        Assert.Equal(2_000, summary.ItemsWritten);
        Assert.True(summary.Retries >= 40, $"retries: {summary.Retries}");
        Assert.True(faults.Calls("BatchWriteItem") > 2_000 / 25);
        Assert.Equal(2_000, await servers.CountAsync(_client, table));
    }

    [Fact]
    public async Task Items_still_throttled_after_the_last_attempt_are_reported_and_nothing_is_purged()
    {
        var table = LocalServers.NewName("meta-down");
        await Loader(_client).LoadAsync(File_(["""{"id":"old","name":"kept"}"""]), new CatalogLoadOptions { TableName = table }, null, CancellationToken.None);
        var faults = new FaultInjector { Plan = (operation, call) => operation == "BatchWriteItem" ? (call % 2 == 0 ? Fault.Throttle : Fault.Unprocessed) : Fault.None };
        using var client = servers.DynamoDB(faults, maxRetries: 0);

        var summary = await Loader(client).LoadAsync(
            File_(CatalogFiles.Items(60)),
            new CatalogLoadOptions { TableName = table, FirstBackoff = TimeSpan.FromMilliseconds(1), MaxAttempts = 3 },
            null,
            CancellationToken.None);

        Assert.Equal(0, summary.ItemsWritten);
        Assert.Equal(60, summary.FailedItems.Count);
        Assert.Equal(Enumerable.Range(1, 60).Select(i => (long)i), summary.FailedItems.Select(f => f.LineNumber));
        Assert.Contains("after 3 attempts", summary.FailedItems[0].Message, StringComparison.Ordinal);
        Assert.Equal("60 items could not be written", summary.PurgeSkipped);
        Assert.Equal(0, summary.ItemsRemoved);
        Assert.NotNull((await _client.GetItemAsync(table, new() { ["id"] = new() { S = "old" } })).Item);
    }

    [Fact]
    public async Task A_table_with_another_key_is_refused()
    {
        var table = LocalServers.NewName("meta-wrongkey");
        await _client.CreateActiveTableAsync(new CreateTableRequest
        {
            TableName = table,
            KeySchema = [new KeySchemaElement("itemId", KeyType.HASH)],
            AttributeDefinitions = [new AttributeDefinition("itemId", ScalarAttributeType.S)],
            BillingMode = BillingMode.PAY_PER_REQUEST,
        });

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Loader(_client).LoadAsync(File_(CatalogFiles.Items(3)), new CatalogLoadOptions { TableName = table }, null, CancellationToken.None));
        Assert.Contains("\"id\"", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Records progress synchronously (Progress&lt;T&gt; would post to the thread pool and race the assertions).</summary>
    private sealed class SyncProgress(List<CatalogLoadProgress> reports) : IProgress<CatalogLoadProgress>
    {
        public void Report(CatalogLoadProgress value)
        {
            lock (reports)
            {
                reports.Add(value);
            }
        }
    }
}
