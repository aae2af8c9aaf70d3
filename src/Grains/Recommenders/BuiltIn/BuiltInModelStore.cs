using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Personalization.Grains.Catalog;
using Personalization.Grains.Configuration;
using Personalization.Grains.Recommenders.BuiltIn.Interactions;

namespace Personalization.Grains.Recommenders.BuiltIn;

/// <summary>
/// The trained built-in model of each namespace. Trained from the namespace's interactions file when one is
/// configured (otherwise it starts empty and learns from events), and updated online from events.
/// </summary>
public sealed partial class BuiltInModelStore(TimeProvider timeProvider, ILogger<BuiltInModelStore> logger)
{
    private readonly ConcurrentDictionary<string, Trained> _models = new(StringComparer.Ordinal);

    public BuiltInRecommender? Get(string ns) => _models.TryGetValue(ns, out var trained) ? trained.Model : null;

    /// <summary>Trains the namespace's model unless one trained from the same settings and file exists; keeps it in step with the catalog.</summary>
    /// <param name="catalog">The namespace's catalog, possibly still loading: the interactions file is read meanwhile,
    /// because catalog parsing and interactions parsing are the two halves of a silo's start-up critical path.</param>
    public async Task EnsureTrainedAsync(string ns, BuiltinRecommenderConfig? config, string? interactionsPath, Task<ItemCatalog> catalog, CancellationToken cancellationToken)
    {
        FileStamp? stamp = interactionsPath is null ? null : Stamp(interactionsPath);
        if (_models.TryGetValue(ns, out var existing) && existing.Config == config && existing.Interactions == stamp)
        {
            var current = await catalog.ConfigureAwait(false);
            if (!ReferenceEquals(existing.Model.Catalog, current))
            {
                existing.Model.ReplaceCatalog(current);
            }

            return;
        }

        var options = Options(config);
        BuiltInRecommender model;
        if (interactionsPath is null)
        {
            model = BuiltInRecommender.CreateEmpty(await catalog.ConfigureAwait(false), options, timeProvider);
        }
        else
        {
            var reading = Task.Run(() => InteractionsCsvReader.LoadAsync(interactionsPath, cancellationToken), cancellationToken);
            await Task.WhenAll(catalog, reading).ConfigureAwait(false);
            var (items, loaded) = (catalog.Result, reading.Result);
            foreach (var error in loaded.Errors.Take(20))
            {
                LogBadLine(logger, ns, interactionsPath, error.ToString());
            }

            var started = timeProvider.GetTimestamp();
            model = await Task.Run(() => BuiltInRecommender.Train(loaded.Interactions, items, options, timeProvider), cancellationToken).ConfigureAwait(false);
            LogTrained(logger, ns, loaded.Interactions.Count, model.UserCount, model.ItemCount, timeProvider.GetElapsedTime(started).TotalMilliseconds);
        }

        _models[ns] = new Trained(model, config, stamp);
    }

    public void Remove(string ns) => _models.TryRemove(ns, out _);

    private static BuiltInRecommenderOptions Options(BuiltinRecommenderConfig? config)
    {
        var options = new BuiltInRecommenderOptions();
        if (config is null)
        {
            return options;
        }

        if (config.PopularityHalfLifeDays is { } days)
        {
            options.PopularityHalfLife = TimeSpan.FromDays(days);
        }

        options.NeighboursPerItem = config.NeighboursPerItem ?? options.NeighboursPerItem;
        options.MinSupport = config.MinSupport ?? options.MinSupport;
        options.HistoryLength = config.HistoryLength ?? options.HistoryLength;
        options.ExcludeInteracted = config.ExcludeInteracted ?? options.ExcludeInteracted;
        foreach (var (eventType, weight) in config.EventWeights)
        {
            options.EventWeights[eventType] = weight;
        }

        options.Validate();
        return options;
    }

    private static FileStamp Stamp(string path)
    {
        var file = new FileInfo(path);
        if (!file.Exists)
        {
            throw new FileNotFoundException($"interactions file not found: {path}", path);
        }

        return new FileStamp(file.FullName, file.Length, file.LastWriteTimeUtc);
    }

    private sealed record Trained(BuiltInRecommender Model, BuiltinRecommenderConfig? Config, FileStamp? Interactions);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Interactions {Namespace} ({Path}): skipped {Line}")]
    private static partial void LogBadLine(ILogger logger, string @namespace, string path, string line);

    [LoggerMessage(Level = LogLevel.Information, Message = "Built-in model {Namespace}: trained on {Interactions} interactions, {Users} users, {Items} items in {Milliseconds:F0} ms")]
    private static partial void LogTrained(ILogger logger, string @namespace, int interactions, int users, int items, double milliseconds);
}
