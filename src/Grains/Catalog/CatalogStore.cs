using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;

namespace Personalization.Grains.Catalog;

/// <summary>
/// The item catalog of each namespace, as last loaded from its JSON Lines file. Replaced whole on reload, so readers
/// never see a half-loaded catalog; <see cref="NamespaceCatalog.Version"/> tells item grains when to refresh.
/// </summary>
public sealed partial class CatalogStore(ILogger<CatalogStore> logger)
{
    private static readonly Meter Meter = new("Personalization.Catalog");
    private static readonly Counter<long> MissingItems = Meter.CreateCounter<long>("catalog.items.missing", description: "Items returned by a recommender that the catalog does not hold (left undecorated).");

    private readonly ConcurrentDictionary<string, NamespaceCatalog> _catalogs = new(StringComparer.Ordinal);
    private long _versions;

    public NamespaceCatalog? Get(string ns) => _catalogs.GetValueOrDefault(ns);

    public IReadOnlyCollection<NamespaceCatalog> All => (IReadOnlyCollection<NamespaceCatalog>)_catalogs.Values;

    /// <summary>Loads <paramref name="path"/> for <paramref name="ns"/> unless the same file (path, size, time) is already live.</summary>
    /// <returns>The live catalog after the call, and whether it changed.</returns>
    public async Task<(NamespaceCatalog Catalog, bool Changed)> LoadAsync(string ns, string path, CancellationToken cancellationToken)
    {
        var file = new FileInfo(path);
        if (!file.Exists)
        {
            throw new FileNotFoundException($"catalog file for namespace '{ns}' not found: {path}", path);
        }

        var stamp = new FileStamp(file.FullName, file.Length, file.LastWriteTimeUtc);
        if (_catalogs.TryGetValue(ns, out var live) && live.Stamp == stamp)
        {
            return (live, false);
        }

        var result = await CatalogReader.LoadAsync(file.FullName, cancellationToken).ConfigureAwait(false);
        foreach (var error in result.Errors.Take(20))
        {
            LogBadLine(logger, ns, file.FullName, error.ToString());
        }

        var catalog = new NamespaceCatalog(ns, result.Catalog, stamp, Interlocked.Increment(ref _versions), result.Errors.Count);
        _catalogs[ns] = catalog;
        LogLoaded(logger, ns, result.Catalog.Count, result.Errors.Count, file.FullName);
        return (catalog, true);
    }

    public void Remove(string ns) => _catalogs.TryRemove(ns, out _);

    public static void CountMissing(string ns, int count)
    {
        if (count > 0)
        {
            MissingItems.Add(count, new KeyValuePair<string, object?>("namespace", ns));
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Catalog {Namespace} ({Path}): skipped {Line}")]
    private static partial void LogBadLine(ILogger logger, string @namespace, string path, string line);

    [LoggerMessage(Level = LogLevel.Information, Message = "Catalog {Namespace}: {Count} items loaded ({Errors} bad lines) from {Path}")]
    private static partial void LogLoaded(ILogger logger, string @namespace, int count, int errors, string path);
}

/// <summary>Identity of a file's content as far as the file system tells.</summary>
public readonly record struct FileStamp(string Path, long Length, DateTime LastWriteUtc);

/// <summary>One loaded catalog of a namespace.</summary>
public sealed record NamespaceCatalog(string Namespace, ItemCatalog Items, FileStamp Stamp, long Version, int RejectedLines);
