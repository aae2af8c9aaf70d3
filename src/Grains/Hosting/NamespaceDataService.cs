using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Personalization.Grains.Catalog;
using Personalization.Grains.Configuration;
using Personalization.Grains.Recommenders.BuiltIn;
using Personalization.Grains.Recommenders.BuiltIn.Interactions;

namespace Personalization.Grains.Hosting;

/// <summary>
/// Keeps each namespace's data in step with the live configuration: loads `localdb` catalogs, trains built-in models,
/// and re-checks catalog files every `syncInterval` (a changed file is reloaded without a restart). Catalog and
/// interactions paths may be `s3://bucket/key` (or the staging prefix `s3://bucket/import/{namespace}/`): each check is
/// a conditional GET on the object's ETag through <see cref="S3DataMirror"/>, and a changed object replaces the live
/// data only once it downloaded completely and parsed. Readiness waits for the first full load.
/// </summary>
public sealed partial class NamespaceDataService(
    ConfigurationStore configuration,
    CatalogStore catalogs,
    BuiltInModelStore models,
    DataPaths paths,
    S3DataMirror s3,
    RemoteItemMetadata remoteMetadata,
    IOptions<CatalogSourceOptions> sources,
    TimeProvider timeProvider,
    ILogger<NamespaceDataService> logger) : BackgroundService
{
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile ConfigurationSnapshot? _loadedFor;
    private volatile string? _lastError;

    /// <summary>True once the data of the live configuration is loaded.</summary>
    public bool IsReady => _loadedFor is { } loaded && ReferenceEquals(loaded, configuration.Current);

    public string? LastError => _lastError;

    /// <summary>Loads now (tests and the CLI call this instead of waiting for the loop).</summary>
    public async Task SyncAsync(CancellationToken cancellationToken)
    {
        if (configuration.Current is not { } snapshot)
        {
            return;
        }

        var errors = new List<string>();
        foreach (var ns in snapshot.Namespaces)
        {
            try
            {
                await SyncNamespaceAsync(ns, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or InvalidDataException or ArgumentException)
            {
                errors.Add($"{ns.Key}: {exception.Message}");
                LogSyncFailed(logger, ns.Key, exception.Message);
            }
        }

        foreach (var stale in catalogs.All.Select(c => c.Namespace).Where(key => !snapshot.TryGetNamespace(key, out _)).ToList())
        {
            catalogs.Remove(stale);
            models.Remove(stale);
            remoteMetadata.Cache.Remove(stale);
        }

        _lastError = errors.Count == 0 ? null : string.Join("; ", errors);
        if (errors.Count == 0)
        {
            _loadedFor = snapshot;
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        configuration.Changed += OnChanged;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                // Taken before syncing, so a change during the sync is not missed.
                var changed = Volatile.Read(ref _changed).Task;
                await SyncAsync(stoppingToken).ConfigureAwait(false);
                try
                {
                    await changed.WaitAsync(PollInterval(), timeProvider, stoppingToken).ConfigureAwait(false);
                }
                catch (TimeoutException)
                {
                    // Time to re-check the files.
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            configuration.Changed -= OnChanged;
        }
    }

    private void OnChanged(ConfigurationSnapshot snapshot) =>
        Interlocked.Exchange(ref _changed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    private TimeSpan PollInterval()
    {
        var seconds = configuration.Current?.Namespaces
            .Where(ns => CatalogSource(ns) is not null)
            .Select(ns => ns.InferenceItemMetadata!.SyncIntervalSeconds)
            .DefaultIfEmpty(ItemMetadataConfig.DefaultSyncIntervalSeconds)
            .Min() ?? ItemMetadataConfig.DefaultSyncIntervalSeconds;
        return TimeSpan.FromSeconds(seconds);
    }

    /// <summary>The catalog a `localdb` namespace loads: its `path`, else the staging prefix when a staging bucket is set.</summary>
    private string? CatalogSource(ResolvedNamespace ns) => ns.InferenceItemMetadata is { Type: ItemMetadataType.LocalDb } metadata
        ? metadata.Path ?? (sources.Value.S3.StagingBucket is { Length: > 0 } bucket ? S3Location.Staging(bucket, ns.Key).ToString() : null)
        : null;

    private async Task SyncNamespaceAsync(ResolvedNamespace ns, CancellationToken cancellationToken)
    {
        var catalogSource = CatalogSource(ns);
        var catalog = LoadCatalogAsync(ns, catalogSource, cancellationToken);

        // The model also serves built-in fallbacks and, with a catalog, the trending last resort of remote variations.
        var hasCatalog = catalogSource is not null;
        var training = Task.CompletedTask;
        if (ns.Recommenders.Any(r => r.Variations.Any(v => v.Type == VariationType.Builtin
            || v.FallbackChain.Any(f => f.Type == VariationType.Builtin)
            || (hasCatalog && v.FallbackToTrending))))
        {
            training = TrainAsync(ns, catalog, cancellationToken);
        }

        // Both awaited, so neither failure goes unobserved; the catalog's is the one reported.
        await Task.WhenAll(catalog, training).ConfigureAwait(false);
    }

    private async Task TrainAsync(ResolvedNamespace ns, Task<ItemCatalog> catalog, CancellationToken cancellationToken)
    {
        var interactions = ns.BuiltinRecommender?.InteractionsPath is { } path
            ? await LocalPathAsync(path, ValidateInteractionsAsync, cancellationToken).ConfigureAwait(false)
            : null;
        await models.EnsureTrainedAsync(ns.Key, ns.BuiltinRecommender, interactions, catalog, cancellationToken).ConfigureAwait(false);
    }

    private async Task<ItemCatalog> LoadCatalogAsync(ResolvedNamespace ns, string? catalogSource, CancellationToken cancellationToken)
    {
        if (catalogSource is not null)
        {
            var local = await LocalPathAsync(catalogSource, ValidateCatalogAsync, cancellationToken).ConfigureAwait(false);
            return (await catalogs.LoadAsync(ns.Key, local, cancellationToken).ConfigureAwait(false)).Catalog.Items;
        }

        return catalogs.Get(ns.Key)?.Items ?? ItemCatalog.Empty;
    }

    /// <summary>A local path as it is; an s3:// one through its local copy, refreshed when the object's ETag changed.</summary>
    private async Task<string> LocalPathAsync(string path, Func<string, CancellationToken, Task<string?>> validate, CancellationToken cancellationToken)
    {
        if (!S3Location.IsS3(path))
        {
            return paths.Resolve(path);
        }

        if (!S3Location.TryParse(path, out var location, out var error))
        {
            throw new ArgumentException(error);
        }

        return await s3.SyncAsync(location, validate, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<string?> ValidateCatalogAsync(string file, CancellationToken cancellationToken)
    {
        var result = await CatalogReader.LoadAsync(file, cancellationToken).ConfigureAwait(false);
        return result.Catalog.Count > 0 ? null
            : result.Errors.Count > 0 ? $"no valid item ({result.Errors.Count} bad lines, first: {result.Errors[0]})"
            : "no item (empty catalog)";
    }

    private static async Task<string?> ValidateInteractionsAsync(string file, CancellationToken cancellationToken)
    {
        var result = await InteractionsCsvReader.LoadAsync(file, cancellationToken).ConfigureAwait(false);
        return result.Interactions.Count > 0 ? null
            : result.Errors.Count > 0 ? $"no valid interaction ({result.Errors.Count} bad lines, first: {result.Errors[0]})"
            : "no interaction (empty file)";
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Namespace {Namespace}: data could not be loaded: {Message}")]
    private static partial void LogSyncFailed(ILogger logger, string @namespace, string message);
}
