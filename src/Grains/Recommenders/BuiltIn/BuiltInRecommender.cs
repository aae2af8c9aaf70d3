using System.Buffers;
using System.Collections.Concurrent;
using System.Collections.Frozen;
using Personalization.Grains.Catalog;
using Personalization.Grains.Recommenders.BuiltIn.Filters;
using Personalization.Grains.Recommenders.BuiltIn.Interactions;
using Personalization.Grains.Recommenders.BuiltIn.Model;

namespace Personalization.Grains.Recommenders.BuiltIn;

/// <summary>Trending, item-to-item and personalized recommendations from interactions, updated online by
/// <see cref="Observe"/>. Thread-safe: any number of readers may run while events are observed; per-user histories
/// have their own locks and neighbour lists are swapped copy-on-write.</summary>
public sealed partial class BuiltInRecommender
{
    // 2^500 leaves headroom for summing many events without overflowing a double, even for wild timestamps.
    private const double MaxExponent = 500;

    private readonly BuiltInRecommenderOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ItemRegistry _items;
    private readonly ConcurrentDictionary<string, UserHistory> _users = new(StringComparer.Ordinal);
    private const long Unset = long.MinValue;

    // Popularity is stored relative to this instant; an empty model takes its first event's time, because a
    // clock-based epoch would push imported historical events past the exponent range.
    private long _popularityEpoch;
    private readonly double _popularityHalfLifeSeconds;
    private readonly double _historyHalfLifeSeconds;
    private readonly FrozenDictionary<string, double> _eventWeights;
    private long _latestTimestamp;
    private long _eventsSinceTrending;
    private volatile TrendingIndex _trending;

    private BuiltInRecommender(ItemCatalog catalog, BuiltInRecommenderOptions options, TimeProvider timeProvider, long popularityEpoch = Unset)
    {
        options.Validate();
        _options = options;
        _timeProvider = timeProvider;
        _items = new ItemRegistry(catalog);
        _popularityEpoch = popularityEpoch;
        _latestTimestamp = popularityEpoch;
        _popularityHalfLifeSeconds = options.PopularityHalfLife.TotalSeconds;
        _historyHalfLifeSeconds = options.HistoryHalfLife.TotalSeconds;
        _eventWeights = options.EventWeights.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
        _trending = new TrendingIndex(_items.Snapshot(), timeProvider.GetTimestamp());
    }

    public BuiltInRecommenderOptions Options => _options;

    public ItemCatalog Catalog => _items.Catalog;

    /// <summary>Items known from the catalog or from interactions.</summary>
    public int ItemCount => _items.Count;

    public int UserCount => _users.Count;

    /// <summary>An empty model (everything is cold start) that learns from <see cref="Observe"/> only.</summary>
    public static BuiltInRecommender CreateEmpty(ItemCatalog catalog, BuiltInRecommenderOptions? options = null, TimeProvider? timeProvider = null)
    {
        var time = timeProvider ?? TimeProvider.System;
        return new BuiltInRecommender(catalog, options ?? new BuiltInRecommenderOptions(), time);
    }

    /// <summary>Replaces the catalog used for filters and categories (the model keeps items it learnt about).</summary>
    public void ReplaceCatalog(ItemCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        _items.ReplaceCatalog(catalog);
        _trending = new TrendingIndex(_items.Snapshot(), _timeProvider.GetTimestamp());
    }

    /// <summary>Learns from one event: the user's history, the item's popularity and, when the item is new to the
    /// user, its co-occurrence with the user's recent items. The user's next recommendation reflects it.</summary>
    public void Observe(string userId, string itemId, string eventType, long timestamp, double? eventValue = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        ArgumentException.ThrowIfNullOrEmpty(itemId);
        ArgumentNullException.ThrowIfNull(eventType);
        _ = eventValue; // accepted for schema compatibility; weights come from the event type
        var item = _items.GetOrAdd(itemId);
        var weight = (float)WeightOf(eventType);
        Interlocked.CompareExchange(ref _popularityEpoch, timestamp, Unset);
        item.AddPopularity(weight * DecayFactor(timestamp));
        InterlockedMax(ref _latestTimestamp, timestamp);

        var history = _users.GetOrAdd(userId, _ => new UserHistory(_options.HistoryLength));
        var previous = ArrayPool<int>.Shared.Rent(_options.CooccurrenceWindow);
        try
        {
            if (history.Record(item.Index, timestamp, weight, previous.AsSpan(0, _options.CooccurrenceWindow), out var previousCount))
            {
                item.AddUser();
                for (var i = 0; i < previousCount; i++)
                {
                    var other = _items[previous[i]];
                    NeighbourUpdater.AddCooccurrence(item, other, _items, _options.NeighboursPerItem, _options.MinSupport);
                    NeighbourUpdater.AddCooccurrence(other, item, _items, _options.NeighboursPerItem, _options.MinSupport);
                }
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(previous);
        }

        Interlocked.Increment(ref _eventsSinceTrending);
    }

    /// <summary>The user's retained history, oldest first.</summary>
    public IReadOnlyList<string> GetHistory(string userId)
    {
        if (!_users.TryGetValue(userId, out var history))
        {
            return [];
        }

        var entries = new HistoryEntry[_options.HistoryLength];
        var count = history.CopyTo(entries);
        return entries.Take(count).Select(e => _items[e.Item].Id).ToArray();
    }

    private double WeightOf(string eventType) =>
        _eventWeights.TryGetValue(eventType, out var weight) ? weight : _options.DefaultEventWeight;

    private double DecayFactor(long timestamp) =>
        Math.Pow(2, Math.Clamp((timestamp - Volatile.Read(ref _popularityEpoch)) / _popularityHalfLifeSeconds, -MaxExponent, MaxExponent));

    /// <summary>Popularity as of the newest event seen, in "event weight" units.</summary>
    private double CurrentPopularity(ItemState item) =>
        Volatile.Read(ref _latestTimestamp) is var latest && latest == Unset ? 0 : item.Popularity / DecayFactor(latest);

    private static void InterlockedMax(ref long target, long value)
    {
        var current = Volatile.Read(ref target);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }
}
