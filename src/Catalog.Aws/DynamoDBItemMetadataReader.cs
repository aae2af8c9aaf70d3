using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Personalization.Grains.Catalog;

namespace Personalization.Catalog.Aws;

/// <summary>
/// Reads item metadata from <c>PersonalizationApiItemMetadata_{namespace}</c> (key <c>id</c>, the original loader's
/// shape): BatchGetItem in chunks of 100 keys (DynamoDB's limit), the chunks in parallel; keys DynamoDB leaves
/// unprocessed are asked again with backoff, and those still missing after the last round are counted, logged and
/// returned as unresolved (the original dropped them silently after three tries).
/// </summary>
/// <remarks>The client is created on first use, so a silo that decorates from no table needs no region or credentials.</remarks>
public sealed partial class DynamoDBItemMetadataReader(
    Lazy<IAmazonDynamoDB> client,
    IOptions<CatalogSourceOptions> options,
    TimeProvider time,
    ILogger<DynamoDBItemMetadataReader> logger) : IItemMetadataReader
{
    public DynamoDBItemMetadataReader(IAmazonDynamoDB client, IOptions<CatalogSourceOptions> options, TimeProvider time, ILogger<DynamoDBItemMetadataReader> logger)
        : this(new Lazy<IAmazonDynamoDB>(client), options, time, logger)
    {
    }

    public const int MaxKeysPerBatch = 100;
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromMilliseconds(25);

    private readonly DynamoDBItemMetadataOptions _options = options.Value.DynamoDB;

    public async Task<ItemMetadataBatch> ReadAsync(string ns, IReadOnlyList<string> ids, CancellationToken cancellationToken)
    {
        var table = _options.TableName(ns);
        var chunks = ids.Chunk(MaxKeysPerBatch).Select(chunk => ReadChunkAsync(table, chunk, cancellationToken)).ToArray();
        var results = await Task.WhenAll(chunks).ConfigureAwait(false);
        var found = new Dictionary<string, ReadOnlyMemory<byte>>(StringComparer.Ordinal);
        var unresolved = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (chunkFound, chunkUnresolved) in results)
        {
            foreach (var (id, json) in chunkFound)
            {
                found[id] = json;
            }

            unresolved.UnionWith(chunkUnresolved);
        }

        return new ItemMetadataBatch(found, unresolved);
    }

    private async Task<(Dictionary<string, ReadOnlyMemory<byte>> Found, List<string> Unresolved)> ReadChunkAsync(string table, string[] ids, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, ReadOnlyMemory<byte>>(StringComparer.Ordinal);
        List<Dictionary<string, AttributeValue>> pending = [.. ids.Select(id => new Dictionary<string, AttributeValue> { [ItemAttributes.Id] = new() { S = id } })];
        var backoff = FirstBackoff;
        for (var round = 0; pending.Count > 0; round++)
        {
            if (round > 0)
            {
                if (round > _options.UnprocessedRetries)
                {
                    break;
                }

                try
                {
                    await Task.Delay(backoff, time, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }

                backoff *= 2;
            }

            BatchGetItemResponse response;
            try
            {
                response = await client.Value.BatchGetItemAsync(
                    new BatchGetItemRequest { RequestItems = new() { [table] = new KeysAndAttributes { Keys = pending } } },
                    cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is AmazonServiceException or AmazonClientException or HttpRequestException or IOException or TimeoutException or OperationCanceledException)
            {
                LogReadFailed(logger, table, pending.Count, exception.GetType().Name, exception.Message);
                break;
            }

            foreach (var item in response.Responses?.GetValueOrDefault(table) ?? [])
            {
                if (item.TryGetValue(ItemAttributes.Id, out var id) && id.S is { } key)
                {
                    found[key] = ItemAttributes.ToMetadataJson(item);
                }
            }

            pending = response.UnprocessedKeys?.GetValueOrDefault(table)?.Keys ?? [];
            if (pending.Count > 0)
            {
                LogUnprocessed(logger, table, pending.Count, round + 1);
            }
        }

        var unresolved = pending.Select(key => key[ItemAttributes.Id].S!).ToList();
        if (unresolved.Count > 0)
        {
            LogUnresolved(logger, table, unresolved.Count, ids.Length);
        }

        return (found, unresolved);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Table}: BatchGetItem of {Count} keys failed ({Error}: {Message})")]
    private static partial void LogReadFailed(ILogger logger, string table, int count, string error, string message);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Table}: {Count} keys unprocessed after round {Round}; asking again after a backoff")]
    private static partial void LogUnprocessed(ILogger logger, string table, int count, int round);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Table}: {Count} of {Requested} keys could not be read; those items go out undecorated")]
    private static partial void LogUnresolved(ILogger logger, string table, int count, int requested);
}
