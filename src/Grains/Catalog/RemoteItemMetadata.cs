using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Personalization.Grains.Catalog;

/// <summary>
/// Decoration from a remote table (<c>inferenceItemMetadata.type = dynamodb</c>): the per-silo cache first, then one
/// batched read for the rest within <see cref="DynamoDBItemMetadataOptions.Timeout"/>. When the table cannot answer in
/// time, the items already known are decorated, the rest go out without metadata, and the answer says it is
/// incomplete (the pipeline caches it only briefly); a recommendation never fails because of its metadata.
/// </summary>
public sealed partial class RemoteItemMetadata
{
    private static readonly Meter Meter = new("Personalization.Catalog");
    private static readonly Counter<long> CacheHits = Meter.CreateCounter<long>("catalog.remote.cache_hits", description: "Items decorated from the per-silo cache of remote metadata.");
    private static readonly Counter<long> CacheMisses = Meter.CreateCounter<long>("catalog.remote.cache_misses", description: "Items read from the remote metadata table.");
    private static readonly Counter<long> Unresolved = Meter.CreateCounter<long>("catalog.remote.unresolved", description: "Items left undecorated because the remote table did not answer for them (errors, throttling, unprocessed keys, time budget).");

    private readonly IItemMetadataReader? _reader;
    private readonly DynamoDBItemMetadataOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<RemoteItemMetadata> _logger;

    public RemoteItemMetadata(IOptions<CatalogSourceOptions> options, TimeProvider time, ILogger<RemoteItemMetadata> logger, IItemMetadataReader? reader = null)
    {
        _reader = reader;
        _options = options.Value.DynamoDB;
        _time = time;
        _logger = logger;
        Cache = new ItemMetadataCache(_options.CacheSize, _options.CacheTtl, time);
    }

    public ItemMetadataCache Cache { get; }

    /// <summary>Metadata for each of <paramref name="ids"/> (empty where unknown), and whether every item was resolved.</summary>
    public async Task<RemoteDecoration> GetAsync(string ns, IReadOnlyList<string> ids, CancellationToken cancellationToken)
    {
        var metadata = new ReadOnlyMemory<byte>[ids.Count];
        var wanted = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (var i = 0; i < ids.Count; i++)
        {
            if (Cache.TryGet(ns, ids[i], out var cached))
            {
                metadata[i] = cached;
            }
            else
            {
                (wanted.TryGetValue(ids[i], out var positions) ? positions : wanted[ids[i]] = []).Add(i);
            }
        }

        CacheHits.Add(ids.Count - wanted.Values.Sum(p => p.Count));
        if (wanted.Count == 0)
        {
            return new RemoteDecoration(metadata, 0);
        }

        if (_reader is null)
        {
            LogNoReader(_logger, ns);
            Unresolved.Add(wanted.Count);
            return new RemoteDecoration(metadata, wanted.Count);
        }

        CacheMisses.Add(wanted.Count);
        using var budget = new CancellationTokenSource(_options.Timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, budget.Token);
        ItemMetadataBatch batch;
        try
        {
            batch = await _reader.ReadAsync(ns, [.. wanted.Keys], linked.Token).ConfigureAwait(false);
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            // The reader reports the store's failures as unresolved ids; anything else it throws is treated alike.
            LogReaderFailed(_logger, ns, exception);
            batch = new ItemMetadataBatch(new Dictionary<string, ReadOnlyMemory<byte>>(), [.. wanted.Keys]);
        }

        cancellationToken.ThrowIfCancellationRequested();
        var unresolved = batch.Unresolved as IReadOnlySet<string> ?? batch.Unresolved.ToHashSet(StringComparer.Ordinal);
        foreach (var (id, positions) in wanted)
        {
            if (unresolved.Contains(id))
            {
                continue;
            }

            var found = batch.Found.TryGetValue(id, out var json) ? json : ReadOnlyMemory<byte>.Empty;
            Cache.Set(ns, id, found);
            foreach (var position in positions)
            {
                metadata[position] = found;
            }
        }

        if (unresolved.Count > 0)
        {
            Unresolved.Add(unresolved.Count);
            LogUnresolved(_logger, ns, unresolved.Count, wanted.Count);
        }

        return new RemoteDecoration(metadata, unresolved.Count);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Item metadata of namespace {Namespace}: {Unresolved} of {Wanted} items could not be read from the table and go out undecorated")]
    private static partial void LogUnresolved(ILogger logger, string @namespace, int unresolved, int wanted);

    [LoggerMessage(Level = LogLevel.Error, Message = "Item metadata of namespace {Namespace}: the read failed; the items go out undecorated")]
    private static partial void LogReaderFailed(ILogger logger, string @namespace, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Item metadata of namespace {Namespace} is configured as dynamodb, but this silo has no DynamoDB reader registered")]
    private static partial void LogNoReader(ILogger logger, string @namespace);
}

/// <summary>Metadata aligned with the requested ids (empty = none), and how many distinct items could not be read.</summary>
public sealed record RemoteDecoration(ReadOnlyMemory<byte>[] Metadata, int UnresolvedCount)
{
    public bool IsComplete => UnresolvedCount == 0;
}
