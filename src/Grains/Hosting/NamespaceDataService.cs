using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Personalization.Grains.Catalog;
using Personalization.Grains.Configuration;
using Personalization.Grains.Recommenders.BuiltIn;

namespace Personalization.Grains.Hosting;

/// <summary>
/// Keeps each namespace's data in step with the live configuration: loads `localdb` catalogs, trains built-in models,
/// and re-checks catalog files every `syncInterval` (a changed file is reloaded without a restart). Readiness waits for
/// the first full load.
/// </summary>
public sealed partial class NamespaceDataService(
    ConfigurationStore configuration,
    CatalogStore catalogs,
    BuiltInModelStore models,
    DataPaths paths,
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
            .Select(ns => ns.InferenceItemMetadata)
            .Where(m => m is { Type: ItemMetadataType.LocalDb, Path: not null })
            .Select(m => m!.SyncIntervalSeconds)
            .DefaultIfEmpty(ItemMetadataConfig.DefaultSyncIntervalSeconds)
            .Min() ?? ItemMetadataConfig.DefaultSyncIntervalSeconds;
        return TimeSpan.FromSeconds(seconds);
    }

    private async Task SyncNamespaceAsync(ResolvedNamespace ns, CancellationToken cancellationToken)
    {
        var catalog = LoadCatalogAsync(ns, cancellationToken);

        // The model also serves built-in fallbacks and, with a catalog, the trending last resort of remote variations.
        var hasCatalog = ns.InferenceItemMetadata is { Type: ItemMetadataType.LocalDb, Path: not null };
        var training = Task.CompletedTask;
        if (ns.Recommenders.Any(r => r.Variations.Any(v => v.Type == VariationType.Builtin
            || v.FallbackChain.Any(f => f.Type == VariationType.Builtin)
            || (hasCatalog && v.FallbackToTrending))))
        {
            var interactions = ns.BuiltinRecommender?.InteractionsPath is { } path ? paths.Resolve(path) : null;
            training = models.EnsureTrainedAsync(ns.Key, ns.BuiltinRecommender, interactions, catalog, cancellationToken);
        }

        // Both awaited, so neither failure goes unobserved; the catalog's is the one reported.
        await Task.WhenAll(catalog, training).ConfigureAwait(false);
    }

    private async Task<ItemCatalog> LoadCatalogAsync(ResolvedNamespace ns, CancellationToken cancellationToken)
    {
        if (ns.InferenceItemMetadata is { Type: ItemMetadataType.LocalDb, Path: { } catalogPath })
        {
            return (await catalogs.LoadAsync(ns.Key, paths.Resolve(catalogPath), cancellationToken).ConfigureAwait(false)).Catalog.Items;
        }

        return catalogs.Get(ns.Key)?.Items ?? ItemCatalog.Empty;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Namespace {Namespace}: data could not be loaded: {Message}")]
    private static partial void LogSyncFailed(ILogger logger, string @namespace, string message);
}
