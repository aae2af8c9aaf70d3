using Personalization.Grains.Catalog;
using Personalization.Grains.Recommenders.BuiltIn.Interactions;
using Personalization.Grains.Recommenders.BuiltIn.Model;

namespace Personalization.Grains.Recommenders.BuiltIn;

public sealed partial class BuiltInRecommender
{
    /// <summary>Trains on a batch of interactions (any order): popularity, users' recent histories and the
    /// item-to-item neighbour tables, computed in one pass plus a parallel similarity step.</summary>
    public static BuiltInRecommender Train(
        IEnumerable<Interaction> interactions,
        ItemCatalog catalog,
        BuiltInRecommenderOptions? options = null,
        TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(interactions);
        ArgumentNullException.ThrowIfNull(catalog);
        var time = timeProvider ?? TimeProvider.System;
        var ordered = interactions.ToArray();
        var timestamps = Array.ConvertAll(ordered, i => i.Timestamp);
        Array.Sort(timestamps, ordered);
        var model = ordered.Length > 0
            ? new BuiltInRecommender(catalog, options ?? new BuiltInRecommenderOptions(), time, ordered[^1].Timestamp)
            : new BuiltInRecommender(catalog, options ?? new BuiltInRecommenderOptions(), time);
        model.TrainBatch(ordered);
        return model;
    }

    private void TrainBatch(Interaction[] ordered)
    {
        var sequences = new Dictionary<string, (List<int> Items, HashSet<int> Seen)>(StringComparer.Ordinal);
        var noPrevious = Span<int>.Empty;
        foreach (var interaction in ordered)
        {
            if (string.IsNullOrEmpty(interaction.UserId) || string.IsNullOrEmpty(interaction.ItemId))
            {
                continue;
            }

            var item = _items.GetOrAdd(interaction.ItemId);
            var weight = (float)WeightOf(interaction.EventType ?? string.Empty);
            item.AddPopularity(weight * DecayFactor(interaction.Timestamp));
            var history = _users.GetOrAdd(interaction.UserId, _ => new UserHistory(_options.HistoryLength));
            history.Record(item.Index, interaction.Timestamp, weight, noPrevious, out _);

            if (!sequences.TryGetValue(interaction.UserId, out var sequence))
            {
                sequences[interaction.UserId] = sequence = ([], []);
            }

            if (sequence.Seen.Add(item.Index))
            {
                sequence.Items.Add(item.Index);
            }
        }

        if (ordered.Length > 0)
        {
            InterlockedMax(ref _latestTimestamp, ordered[^1].Timestamp);
        }

        var itemCount = _items.Count;
        var userCounts = new double[itemCount];
        var arrays = sequences.Values.Select(s => s.Items.ToArray()).ToList();
        foreach (var sequence in arrays)
        {
            foreach (var item in sequence)
            {
                userCounts[item]++;
            }
        }

        var neighbours = CooccurrenceTrainer.Build(arrays, itemCount, userCounts, _options);
        var states = _items.Snapshot();
        for (var i = 0; i < itemCount; i++)
        {
            states[i].SetUserCount(userCounts[i]);
            states[i].Neighbours = neighbours[i];
        }

        _trending = new TrendingIndex(_items.Snapshot(), _timeProvider.GetTimestamp());
    }
}
