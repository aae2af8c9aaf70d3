using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Configuration;
using Orleans.Runtime;

namespace Personalization.Orleans.Clustering.DynamoDB;

/// <summary>
/// Orleans cluster membership in DynamoDB, one item per cluster (layout: <see cref="ClusterItem"/>). Every change is
/// one conditional <c>UpdateItem</c> on that item, and every read one consistent <c>GetItem</c>, so inserts and updates
/// are atomic with the version bump and reads are true snapshots without DynamoDB transactions (which neither
/// dynalite nor a single-item design needs). The table version's ETag doubles as every row's ETag.
/// </summary>
public sealed partial class DynamoDBMembershipTable : IMembershipTable, IDisposable
{
    // UpdateItem expressions are limited to 4 KB; a removal names each row, so cleanup removes rows in batches.
    private const int CleanupBatchSize = 50;

    private readonly DynamoDBClusteringOptions _options;
    private readonly string _clusterId;
    private readonly string _itemKey;
    private readonly ILogger _logger;
    private readonly IAmazonDynamoDB _client;
    private readonly ClusterItemCalls _calls;
    private readonly bool _ownsClient;
    private int _disposed;

    public DynamoDBMembershipTable(
        IOptions<DynamoDBClusteringOptions> options,
        IOptions<ClusterOptions> clusterOptions,
        IServiceProvider services,
        ILogger<DynamoDBMembershipTable> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(clusterOptions);
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(logger);
        _options = options.Value;
        new DynamoDBClusteringOptionsValidator(_options).ValidateConfiguration();
        _clusterId = clusterOptions.Value.ClusterId;
        _itemKey = $"{clusterOptions.Value.ServiceId}/{clusterOptions.Value.ClusterId}";
        _logger = logger;
        (_client, _ownsClient) = DynamoDBClientSource.Resolve(_options, services);
        _calls = new ClusterItemCalls(_client, _options.TableName, _itemKey, logger);
    }

    /// <summary>The value of the item's hash key: "{ServiceId}/{ClusterId}".</summary>
    public string ItemKey => _itemKey;

    public Task InitializeMembershipTable(bool tryInitTableVersion) => InitializeMembershipTableAsync(tryInitTableVersion, CancellationToken.None);

    public Task DeleteMembershipTableEntries(string clusterId) => DeleteMembershipTableEntriesAsync(clusterId, CancellationToken.None);

    public Task CleanupDefunctSiloEntries(DateTimeOffset beforeDate) => CleanupDefunctSiloEntriesAsync(beforeDate, CancellationToken.None);

    public Task<MembershipTableData> ReadRow(SiloAddress key) => ReadRowAsync(key, CancellationToken.None);

    public Task<MembershipTableData> ReadAll() => ReadAllAsync(CancellationToken.None);

    public Task<bool> InsertRow(MembershipEntry entry, TableVersion tableVersion) => InsertRowAsync(entry, tableVersion, CancellationToken.None);

    public Task<bool> UpdateRow(MembershipEntry entry, string etag, TableVersion tableVersion) => UpdateRowAsync(entry, etag, tableVersion, CancellationToken.None);

    public Task UpdateIAmAlive(MembershipEntry entry) => UpdateIAmAliveAsync(entry, CancellationToken.None);

    public async Task InitializeMembershipTableAsync(bool tryInitTableVersion, CancellationToken cancellationToken)
    {
        if (_options.CreateIfNotExists)
        {
            await EnsureTableAsync(cancellationToken).ConfigureAwait(false);
        }

        if (!tryInitTableVersion)
        {
            return;
        }

        // Every silo puts the version-0 item if absent; all but the first lose the condition, which is the point.
        var request = new PutItemRequest
        {
            TableName = _options.TableName,
            Item = new Dictionary<string, AttributeValue>
            {
                [ClusterItem.HashKey] = new() { S = _itemKey },
                [ClusterItem.VersionAttribute] = ClusterItem.Number(0),
                [ClusterItem.EtagAttribute] = new() { S = ClusterItem.NewEtag() },
                [ClusterItem.RowsAttribute] = new() { M = [] },
            },
            ConditionExpression = "attribute_not_exists(#key)",
            ExpressionAttributeNames = ClusterItem.Names("#key"),
        };
        var created = await ConditionalAsync("PutItem", ct => _client.PutItemAsync(request, ct), cancellationToken).ConfigureAwait(false);
        if (created)
        {
            LogItemCreated(_logger, _itemKey, _options.TableName);
        }
    }

    public async Task DeleteMembershipTableEntriesAsync(string clusterId, CancellationToken cancellationToken)
    {
        // The item key is built from this table's own ClusterOptions; silently deleting that when asked for another
        // cluster (or deleting another cluster's rows, as upstream providers can) would be wrong either way.
        if (!string.Equals(clusterId, _clusterId, StringComparison.Ordinal))
        {
            throw new ArgumentException($"This membership table belongs to cluster '{_clusterId}', not '{clusterId}'.", nameof(clusterId));
        }

        var request = new DeleteItemRequest { TableName = _options.TableName, Key = ClusterItem.Key(_itemKey) };
        await _calls.CallAsync("DeleteItem", ct => _client.DeleteItemAsync(request, ct), cancellationToken).ConfigureAwait(false);
    }

    public async Task<MembershipTableData> ReadAllAsync(CancellationToken cancellationToken)
    {
        var item = await _calls.GetItemAsync(projection: null, names: null, cancellationToken).ConfigureAwait(false) ?? throw _calls.Missing();
        var version = ClusterItem.Version(item, _itemKey);
        return new MembershipTableData(ClusterItem.Rows(item, version.VersionEtag), version);
    }

    public async Task<MembershipTableData> ReadRowAsync(SiloAddress key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        // One GetItem projected to the version and this row: the row and the version come from the same write.
        const string projection = "#version, #etag, #rows.#row";
        var item = await _calls.GetItemAsync(
            projection,
            ClusterItem.Names(projection, ("#row", ClusterItem.RowKey(key))),
            cancellationToken).ConfigureAwait(false) ?? throw _calls.Missing();
        var version = ClusterItem.Version(item, _itemKey);
        return new MembershipTableData(ClusterItem.Rows(item, version.VersionEtag), version);
    }

    public Task<bool> InsertRowAsync(MembershipEntry entry, TableVersion tableVersion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(tableVersion);
        return WriteRowAsync(entry, tableVersion, "attribute_not_exists(#rows.#row)", cancellationToken);
    }

    public Task<bool> UpdateRowAsync(MembershipEntry entry, string etag, TableVersion tableVersion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(tableVersion);

        // Rows carry the table's ETag, so a row ETag that differs from the version's cannot both match the stored one:
        // the write would fail its condition anyway, so it is refused without a call.
        if (!string.Equals(etag, tableVersion.VersionEtag, StringComparison.Ordinal))
        {
            return Task.FromResult(false);
        }

        return WriteRowAsync(entry, tableVersion, "attribute_exists(#rows.#row)", cancellationToken);
    }

    public async Task UpdateIAmAliveAsync(MembershipEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        // Only IAmAliveTime: the runtime's heartbeat entry carries nothing else, and the version and ETag stay, so a
        // heartbeat never makes another silo's pending update fail.
        var request = new UpdateItemRequest
        {
            TableName = _options.TableName,
            Key = ClusterItem.Key(_itemKey),
            UpdateExpression = "SET #rows.#row.#alive = :alive",
            ConditionExpression = "attribute_exists(#rows.#row)",
            ExpressionAttributeNames = ClusterItem.Names("#rows", ("#row", ClusterItem.RowKey(entry.SiloAddress)), ("#alive", ClusterItem.IAmAliveTimeAttribute)),
            ExpressionAttributeValues = new Dictionary<string, AttributeValue> { [":alive"] = ClusterItem.Time(entry.IAmAliveTime) },
        };
        if (!await ConditionalAsync("UpdateItem", ct => _client.UpdateItemAsync(request, ct), cancellationToken).ConfigureAwait(false))
        {
            throw new DynamoDBMembershipException(
                $"DynamoDB clustering: no row for silo {entry.SiloAddress} in item {_itemKey} of table {_options.TableName}; the heartbeat was not written.");
        }
    }

    public async Task CleanupDefunctSiloEntriesAsync(DateTimeOffset beforeDate, CancellationToken cancellationToken)
    {
        if (await _calls.GetItemAsync(projection: null, names: null, cancellationToken).ConfigureAwait(false) is not { } item)
        {
            return; // nothing to clean
        }

        var etag = ClusterItem.Version(item, _itemKey).VersionEtag;
        var cutoff = beforeDate.UtcDateTime;
        var defunct = ClusterItem.Rows(item, etag)
            .Select(row => row.Item1)
            .Where(entry => entry.Status == SiloStatus.Dead && LastActivity(entry) < cutoff)
            .Select(entry => ClusterItem.RowKey(entry.SiloAddress))
            .ToList();

        foreach (var batch in defunct.Chunk(CleanupBatchSize))
        {
            // Removes only rows unchanged since the read: the ETag (any insert or update) and each row's IAmAliveTime
            // (heartbeats, which leave the ETag alone) must be as read. Rows are Dead, so the version is left alone.
            var names = ClusterItem.Names("#rows #etag");
            var values = new Dictionary<string, AttributeValue> { [":etag"] = new() { S = etag } };
            var removals = new List<string>();
            var conditions = new List<string> { "#etag = :etag" };
            var rows = item[ClusterItem.RowsAttribute].M;
            names["#alive"] = ClusterItem.IAmAliveTimeAttribute;
            for (var i = 0; i < batch.Length; i++)
            {
                var placeholder = "#r" + i.ToString(CultureInfo.InvariantCulture);
                names[placeholder] = batch[i];
                removals.Add($"#rows.{placeholder}");
                values[":a" + i.ToString(CultureInfo.InvariantCulture)] = rows[batch[i]].M[ClusterItem.IAmAliveTimeAttribute];
                conditions.Add($"#rows.{placeholder}.#alive = :a{i.ToString(CultureInfo.InvariantCulture)}");
            }

            var request = new UpdateItemRequest
            {
                TableName = _options.TableName,
                Key = ClusterItem.Key(_itemKey),
                UpdateExpression = "REMOVE " + string.Join(", ", removals),
                ConditionExpression = string.Join(" AND ", conditions),
                ExpressionAttributeNames = names,
                ExpressionAttributeValues = values,
            };
            if (!await ConditionalAsync("UpdateItem", ct => _client.UpdateItemAsync(request, ct), cancellationToken).ConfigureAwait(false))
            {
                // The table changed since the read; the runtime calls cleanup again later.
                LogCleanupRaced(_logger, _itemKey);
                return;
            }

            LogRowsRemoved(_logger, batch.Length, _itemKey);
        }
    }

    /// <summary>Creates the table if absent (losing the race to another silo is fine) and waits until it is ACTIVE.</summary>
    private async Task EnsureTableAsync(CancellationToken cancellationToken)
    {
        var status = await DescribeStatusAsync(cancellationToken).ConfigureAwait(false);
        if (status is null)
        {
            var request = new CreateTableRequest
            {
                TableName = _options.TableName,
                KeySchema = [new KeySchemaElement(ClusterItem.HashKey, KeyType.HASH)],
                AttributeDefinitions = [new AttributeDefinition(ClusterItem.HashKey, ScalarAttributeType.S)],
                BillingMode = BillingMode.PAY_PER_REQUEST,
            };
            var created = await _calls.CallAsync("CreateTable", async ct =>
            {
                try
                {
                    await _client.CreateTableAsync(request, ct).ConfigureAwait(false);
                    return true;
                }
                catch (ResourceInUseException)
                {
                    // Another silo created it first; upstream lets this fail the start (dotnet/orleans #7721).
                    return false;
                }
            }, cancellationToken).ConfigureAwait(false);
            if (created)
            {
                LogTableCreated(_logger, _options.TableName);
            }
        }

        // A new table takes a while to become ACTIVE and writes fail until then. Real time on purpose: AWS does not
        // follow an injected clock.
        while (status != TableStatus.ACTIVE)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken).ConfigureAwait(false);
            status = await DescribeStatusAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private Task<TableStatus?> DescribeStatusAsync(CancellationToken cancellationToken) =>
        _calls.CallAsync<TableStatus?>("DescribeTable", async ct =>
        {
            try
            {
                var response = await _client.DescribeTableAsync(new DescribeTableRequest { TableName = _options.TableName }, ct).ConfigureAwait(false);
                return response.Table?.TableStatus;
            }
            catch (ResourceNotFoundException)
            {
                return null;
            }
        }, cancellationToken);

    public void Dispose()
    {
        // Registered both as itself and as IMembershipTable, so the container may dispose it twice.
        if (Interlocked.Exchange(ref _disposed, 1) == 0 && _ownsClient)
        {
            _client.Dispose();
        }
    }

    /// <summary>A Dead row is defunct once its last sign of life (start, heartbeat or a vote about it) is before the cutoff.</summary>
    private static DateTime LastActivity(MembershipEntry entry)
    {
        var last = ClusterItem.Utc(entry.StartTime);
        if (ClusterItem.Utc(entry.IAmAliveTime) > last)
        {
            last = ClusterItem.Utc(entry.IAmAliveTime);
        }

        foreach (var (_, time) in entry.SuspectTimes ?? [])
        {
            if (ClusterItem.Utc(time) > last)
            {
                last = ClusterItem.Utc(time);
            }
        }

        return last;
    }

    /// <summary>
    /// Writes a whole row and moves the version on, in one conditional UpdateItem: the stored ETag and version must be
    /// the ones <paramref name="tableVersion"/> was made from, and the row must be absent (insert) or present (update).
    /// </summary>
    private async Task<bool> WriteRowAsync(MembershipEntry entry, TableVersion tableVersion, string rowCondition, CancellationToken cancellationToken)
    {
        var rowKey = ClusterItem.RowKey(entry.SiloAddress);
        var row = ClusterItem.Row(entry);
        var size = ClusterItem.RowSize(rowKey, row);
        if (size > ClusterItem.MaxItemBytes)
        {
            throw _calls.TooLarge($"the row of silo {entry.SiloAddress} alone is {size} bytes");
        }

        var request = new UpdateItemRequest
        {
            TableName = _options.TableName,
            Key = ClusterItem.Key(_itemKey),
            UpdateExpression = "SET #rows.#row = :row, #version = :version, #etag = :newEtag",
            ConditionExpression = $"#etag = :etag AND #version = :previous AND {rowCondition}",
            ExpressionAttributeNames = ClusterItem.Names("#rows #version #etag", ("#row", rowKey)),
            ExpressionAttributeValues = new Dictionary<string, AttributeValue>
            {
                [":row"] = row,
                [":version"] = ClusterItem.Number(tableVersion.Version),
                [":previous"] = ClusterItem.Number(tableVersion.Version - 1L),
                [":etag"] = new() { S = tableVersion.VersionEtag ?? "" },
                [":newEtag"] = new() { S = ClusterItem.NewEtag() },
            },
        };
        return await ConditionalAsync("UpdateItem", ct => _client.UpdateItemAsync(request, ct), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs a conditional write: true when it was applied, false when its condition failed (contention).</summary>
    private async Task<bool> ConditionalAsync<TResponse>(string call, Func<CancellationToken, Task<TResponse>> send, CancellationToken cancellationToken)
    {
        try
        {
            await _calls.CallAsync(call, send, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (ConditionalCheckFailedException)
        {
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "DynamoDB clustering: created table {Table}")]
    private static partial void LogTableCreated(ILogger logger, string table);

    [LoggerMessage(Level = LogLevel.Information, Message = "DynamoDB clustering: created membership item {Item} in table {Table}")]
    private static partial void LogItemCreated(ILogger logger, string item, string table);

    [LoggerMessage(Level = LogLevel.Information, Message = "DynamoDB clustering: removed {Count} defunct Dead rows from item {Item}")]
    private static partial void LogRowsRemoved(ILogger logger, int count, string item);

    [LoggerMessage(Level = LogLevel.Debug, Message = "DynamoDB clustering: item {Item} changed during cleanup; the remaining defunct rows are left for the next cleanup")]
    private static partial void LogCleanupRaced(ILogger logger, string item);
}
