using System.Buffers;
using Personalization.Grains.Recommenders.BuiltIn.Filters;
using Personalization.Grains.Recommenders.BuiltIn.Model;

namespace Personalization.Grains.Recommenders.BuiltIn;

public sealed partial class BuiltInRecommender
{
    /// <summary>Personalized items: the user's recent items vote for their neighbours, weighted by event type and
    /// recency; already-interacted items are left out when configured; trending fills the rest (score 0).</summary>
    public IReadOnlyList<ScoredItem> Recommend(string userId, int numResults, ItemFilter? filter = null)
    {
        ArgumentNullException.ThrowIfNull(userId);
        numResults = Math.Min(numResults, _items.Count);
        if (numResults <= 0)
        {
            return [];
        }

        var accumulator = ScoreAccumulator.Rent(_items.Count);
        try
        {
            ScoreUser(userId, accumulator, block: _options.ExcludeInteracted);
            var top = new TopItems(numResults);
            for (var i = 0; i < accumulator.TouchedCount; i++)
            {
                var index = accumulator.Touched(i);
                if (accumulator.IsBlocked(index))
                {
                    continue;
                }

                var item = _items[index];
                var score = accumulator[index];
                if (top.WouldAccept(score, item.Popularity, index) && Allowed(item, filter))
                {
                    top.Insert(index, score, item.Popularity);
                }
            }

            var results = new List<ScoredItem>(numResults);
            for (var i = 0; i < top.Count; i++)
            {
                results.Add(new ScoredItem(_items[top.Item(i)].Id, top.Score(i)));
            }

            if (results.Count < numResults)
            {
                // Chosen items are blocked too, so the back-fill cannot repeat them.
                for (var i = 0; i < top.Count; i++)
                {
                    accumulator.Block(top.Item(i));
                }

                BackFill(results, numResults, CurrentTrending().Order, accumulator, filter, scoreOf: _ => 0);
            }

            return results;
        }
        finally
        {
            accumulator.Clear();
        }
    }

    /// <summary>Items most similar to <paramref name="itemId"/> (cosine of co-occurrence), then trending. With a
    /// user, that user's items are left out when configured.</summary>
    public IReadOnlyList<ScoredItem> Similar(string itemId, int numResults, string? userId = null, ItemFilter? filter = null)
    {
        ArgumentNullException.ThrowIfNull(itemId);
        numResults = Math.Min(numResults, _items.Count);
        if (numResults <= 0)
        {
            return [];
        }

        var accumulator = ScoreAccumulator.Rent(_items.Count);
        try
        {
            if (userId is not null && _options.ExcludeInteracted)
            {
                BlockHistory(userId, accumulator);
            }

            var results = new List<ScoredItem>(numResults);
            if (_items.Find(itemId) is { } seed)
            {
                accumulator.Block(seed.Index);
                foreach (var neighbour in seed.Neighbours)
                {
                    if (results.Count == numResults)
                    {
                        break;
                    }

                    var item = _items[neighbour.Item];
                    if (!accumulator.IsBlocked(item.Index) && Allowed(item, filter))
                    {
                        results.Add(new ScoredItem(item.Id, neighbour.Similarity));
                        accumulator.Block(item.Index);
                    }
                }
            }

            BackFill(results, numResults, CurrentTrending().Order, accumulator, filter, scoreOf: _ => 0);
            return results;
        }
        finally
        {
            accumulator.Clear();
        }
    }

    /// <summary>Most popular items with time decay. With <paramref name="categoryField"/>, only items whose field
    /// holds <paramref name="categoryValue"/> — or, without a value, the user's dominant value of that field.
    /// With a user, that user's items are left out when configured.</summary>
    public IReadOnlyList<ScoredItem> Trending(int numResults, string? categoryField = null, string? categoryValue = null, string? userId = null, ItemFilter? filter = null)
    {
        numResults = Math.Min(numResults, _items.Count);
        if (numResults <= 0)
        {
            return [];
        }

        var trending = CurrentTrending();
        var order = trending.Order;
        if (!string.IsNullOrEmpty(categoryField))
        {
            categoryValue ??= userId is null ? null : DominantValue(userId, categoryField);
            if (categoryValue is not null)
            {
                order = trending.ForCategory(categoryField, categoryValue);
            }
        }

        var accumulator = ScoreAccumulator.Rent(_items.Count);
        try
        {
            if (userId is not null && _options.ExcludeInteracted)
            {
                BlockHistory(userId, accumulator);
            }

            var results = new List<ScoredItem>(numResults);
            BackFill(results, numResults, order, accumulator, filter, CurrentPopularity);
            return results;
        }
        finally
        {
            accumulator.Clear();
        }
    }

    /// <summary>Orders <paramref name="itemIds"/> by the user's personalized scores, ties by popularity then input
    /// order. Duplicates are dropped, and so are items the filter rejects.</summary>
    public IReadOnlyList<ScoredItem> Rerank(string userId, IReadOnlyList<string> itemIds, ItemFilter? filter = null)
    {
        ArgumentNullException.ThrowIfNull(userId);
        ArgumentNullException.ThrowIfNull(itemIds);
        var accumulator = ScoreAccumulator.Rent(_items.Count);
        try
        {
            ScoreUser(userId, accumulator, block: false);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var candidates = new List<(string Id, float Score, double Popularity, int Position)>(itemIds.Count);
            for (var position = 0; position < itemIds.Count; position++)
            {
                var id = itemIds[position];
                if (string.IsNullOrEmpty(id) || !seen.Add(id))
                {
                    continue;
                }

                var item = _items.Find(id);
                if (filter is not null && !filter.Allows(item?.CatalogItem ?? _items.Catalog.Find(id)))
                {
                    continue;
                }

                candidates.Add(item is null ? (id, 0f, 0d, position) : (id, accumulator[item.Index], item.Popularity, position));
            }

            candidates.Sort((a, b) =>
                a.Score != b.Score ? b.Score.CompareTo(a.Score)
                : a.Popularity != b.Popularity ? b.Popularity.CompareTo(a.Popularity)
                : a.Position.CompareTo(b.Position));
            return candidates.Select(c => new ScoredItem(c.Id, c.Score)).ToArray();
        }
        finally
        {
            accumulator.Clear();
        }
    }

    private void ScoreUser(string userId, ScoreAccumulator accumulator, bool block)
    {
        if (!_users.TryGetValue(userId, out var history))
        {
            return;
        }

        var entries = ArrayPool<HistoryEntry>.Shared.Rent(_options.HistoryLength);
        try
        {
            var count = history.CopyTo(entries);
            if (count == 0)
            {
                return;
            }

            var newest = entries[count - 1].Timestamp;
            for (var i = 0; i < count; i++)
            {
                newest = Math.Max(newest, entries[i].Timestamp);
            }

            for (var i = 0; i < count; i++)
            {
                var entry = entries[i];
                var weight = (float)(entry.Weight * Math.Pow(2, (entry.Timestamp - newest) / _historyHalfLifeSeconds));
                foreach (var neighbour in _items[entry.Item].Neighbours)
                {
                    accumulator.Add(neighbour.Item, weight * neighbour.Similarity);
                }
            }

            if (block)
            {
                for (var i = 0; i < count; i++)
                {
                    accumulator.Block(entries[i].Item);
                }
            }
        }
        finally
        {
            ArrayPool<HistoryEntry>.Shared.Return(entries);
        }
    }

    private void BlockHistory(string userId, ScoreAccumulator accumulator)
    {
        if (!_users.TryGetValue(userId, out var history))
        {
            return;
        }

        var entries = ArrayPool<HistoryEntry>.Shared.Rent(_options.HistoryLength);
        try
        {
            var count = history.CopyTo(entries);
            for (var i = 0; i < count; i++)
            {
                accumulator.Block(entries[i].Item);
            }
        }
        finally
        {
            ArrayPool<HistoryEntry>.Shared.Return(entries);
        }
    }

    private void BackFill(List<ScoredItem> results, int numResults, int[] order, ScoreAccumulator blocked, ItemFilter? filter, Func<ItemState, double> scoreOf)
    {
        foreach (var index in order)
        {
            if (results.Count >= numResults)
            {
                return;
            }

            if (index >= _items.Count || blocked.IsBlocked(index))
            {
                continue;
            }

            var item = _items[index];
            if (Allowed(item, filter))
            {
                results.Add(new ScoredItem(item.Id, scoreOf(item)));
            }
        }
    }

    private static bool Allowed(ItemState item, ItemFilter? filter) => filter is null || filter.Allows(item.CatalogItem);

    private string? DominantValue(string userId, string field)
    {
        if (!_users.TryGetValue(userId, out var history))
        {
            return null;
        }

        var entries = new HistoryEntry[_options.HistoryLength];
        var count = history.CopyTo(entries);
        var votes = new Dictionary<string, double>(StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            if (_items[entries[i].Item].CatalogItem?.Fields.TryGetValue(field, out var values) == true)
            {
                foreach (var value in values!)
                {
                    votes[value] = votes.GetValueOrDefault(value) + entries[i].Weight;
                }
            }
        }

        return votes.Count == 0 ? null : votes.MaxBy(v => v.Value).Key;
    }

    /// <summary>The trending ranking, rebuilt when events arrived and the current one is older than the refresh interval.</summary>
    private TrendingIndex CurrentTrending()
    {
        var trending = _trending;
        if (Volatile.Read(ref _eventsSinceTrending) == 0 ||
            _timeProvider.GetElapsedTime(trending.BuiltAt) < _options.TrendingRefreshInterval)
        {
            return trending;
        }

        Interlocked.Exchange(ref _eventsSinceTrending, 0);
        var rebuilt = new TrendingIndex(_items.Snapshot(), _timeProvider.GetTimestamp());
        _trending = rebuilt;
        return rebuilt;
    }
}
