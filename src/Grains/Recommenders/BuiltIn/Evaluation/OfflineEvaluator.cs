using System.Diagnostics;
using Personalization.Grains.Catalog;
using Personalization.Grains.Recommenders.BuiltIn.Interactions;

namespace Personalization.Grains.Recommenders.BuiltIn.Evaluation;

/// <summary>Time-split evaluation: trains only on interactions before the split, then asks each test user —
/// one with training history and at least one item in the test period they had not interacted with before —
/// for K items, and scores them against those new items.</summary>
public static class OfflineEvaluator
{
    public const string Personalized = "personalized";
    public const string SimilarItems = "similar-items (last item)";
    public const string Popularity = "trending (popularity)";

    public static EvaluationReport Evaluate(
        IReadOnlyList<Interaction> interactions,
        ItemCatalog catalog,
        EvaluationOptions options,
        IProgress<EvaluationProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(interactions);
        ArgumentNullException.ThrowIfNull(catalog);
        if (interactions.Count == 0)
        {
            throw new ArgumentException("There are no interactions to evaluate.", nameof(interactions));
        }

        if (!(options.HoldoutDays > 0) || options.K < 1)
        {
            throw new ArgumentException("HoldoutDays must be positive and K at least 1.", nameof(options));
        }

        var latest = interactions.Max(i => i.Timestamp);
        var split = latest - (long)(options.HoldoutDays * 86_400);
        var train = interactions.Where(i => i.Timestamp < split).ToList();
        var test = interactions.Where(i => i.Timestamp >= split).ToList();
        if (train.Count == 0)
        {
            throw new ArgumentException($"No interactions precede the split at {DateTimeOffset.FromUnixTimeSeconds(split):u}; use fewer holdout days.");
        }

        progress?.Report(new EvaluationProgress("training", 0, 1));
        var stopwatch = Stopwatch.StartNew();
        var model = BuiltInRecommender.Train(train, catalog, options.Recommender);
        var trainingTime = stopwatch.Elapsed;
        progress?.Report(new EvaluationProgress("training", 1, 1));

        var seen = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        var lastItem = new Dictionary<string, (long Timestamp, string ItemId)>(StringComparer.Ordinal);
        foreach (var interaction in train)
        {
            if (!seen.TryGetValue(interaction.UserId, out var items))
            {
                seen[interaction.UserId] = items = new HashSet<string>(StringComparer.Ordinal);
            }

            items.Add(interaction.ItemId);
            if (!lastItem.TryGetValue(interaction.UserId, out var last) || interaction.Timestamp >= last.Timestamp)
            {
                lastItem[interaction.UserId] = (interaction.Timestamp, interaction.ItemId);
            }
        }

        var relevant = new SortedDictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var interaction in test)
        {
            if (seen.TryGetValue(interaction.UserId, out var before) && !before.Contains(interaction.ItemId))
            {
                if (!relevant.TryGetValue(interaction.UserId, out var items))
                {
                    relevant[interaction.UserId] = items = new HashSet<string>(StringComparer.Ordinal);
                }

                items.Add(interaction.ItemId);
            }
        }

        var personalized = new MetricAccumulator(Personalized, options.K);
        var similar = new MetricAccumulator(SimilarItems, options.K);
        var popularity = new MetricAccumulator(Popularity, options.K);
        var done = 0;
        foreach (var (userId, items) in relevant)
        {
            cancellationToken.ThrowIfCancellationRequested();
            personalized.Add(model.Recommend(userId, options.K), items);
            similar.Add(model.Similar(lastItem[userId].ItemId, options.K, userId), items);
            popularity.Add(model.Trending(options.K, userId: userId), items);
            if (++done % 100 == 0 || done == relevant.Count)
            {
                progress?.Report(new EvaluationProgress("scoring users", done, relevant.Count));
            }
        }

        var catalogSize = catalog.Count > 0 ? catalog.Count : model.ItemCount;
        return new EvaluationReport(
            DateTimeOffset.FromUnixTimeSeconds(split),
            train.Count,
            test.Count,
            relevant.Count,
            trainingTime,
            [personalized.Result(catalogSize), similar.Result(catalogSize), popularity.Result(catalogSize)]);
    }
}
