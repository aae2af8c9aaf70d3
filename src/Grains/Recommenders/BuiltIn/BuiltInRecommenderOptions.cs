namespace Personalization.Grains.Recommenders.BuiltIn;

/// <summary>Tuning of the built-in recommender. Defaults were chosen on a validation split of the sample store
/// (the week before the held-out week), never on the held-out week itself. A recommender reads them once, when created.</summary>
public sealed class BuiltInRecommenderOptions
{
    /// <summary>Half-life of an event's contribution to trending popularity.</summary>
    public TimeSpan PopularityHalfLife { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Half-life of a history event's weight in a user's scores, relative to the user's newest event.</summary>
    public TimeSpan HistoryHalfLife { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Neighbours kept per item (bounds model memory to items × this).</summary>
    public int NeighboursPerItem { get; set; } = 50;

    /// <summary>Minimum number of users who interacted with both items for a similarity to count.</summary>
    public int MinSupport { get; set; } = 2;

    /// <summary>Two items co-occur when at most this many distinct items apart in a user's history.</summary>
    public int CooccurrenceWindow { get; set; } = 20;

    /// <summary>Distinct recent items kept per user (scoring input and exclusion set).</summary>
    public int HistoryLength { get; set; } = 50;

    /// <summary>Whether items the user interacted with are left out of personalized and similar-item results.</summary>
    public bool ExcludeInteracted { get; set; } = true;

    /// <summary>Weight of each event type (case-insensitive); other types weigh <see cref="DefaultEventWeight"/>.</summary>
    public IDictionary<string, double> EventWeights { get; set; } = new Dictionary<string, double>(StringComparer.OrdinalIgnoreCase)
    {
        ["view"] = 1,
        ["click"] = 2,
        ["purchase"] = 4,
    };

    public double DefaultEventWeight { get; set; } = 1;

    /// <summary>How stale the trending ranking may get under online updates before it is rebuilt on read.</summary>
    public TimeSpan TrendingRefreshInterval { get; set; } = TimeSpan.FromSeconds(10);

    public void Validate()
    {
        if (PopularityHalfLife <= TimeSpan.Zero || HistoryHalfLife <= TimeSpan.Zero)
        {
            throw new ArgumentException("Half-lives must be positive.");
        }

        if (NeighboursPerItem < 1 || MinSupport < 1 || CooccurrenceWindow < 1 || HistoryLength < 1)
        {
            throw new ArgumentException("NeighboursPerItem, MinSupport, CooccurrenceWindow and HistoryLength must be at least 1.");
        }

        if (TrendingRefreshInterval < TimeSpan.Zero)
        {
            throw new ArgumentException("TrendingRefreshInterval must not be negative.");
        }

        var types = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (type, weight) in EventWeights)
        {
            if (!types.Add(type))
            {
                throw new ArgumentException($"Event type \"{type}\" has more than one weight (event types are case-insensitive).");
            }

            if (!(weight >= 0) || double.IsInfinity(weight))
            {
                throw new ArgumentException($"Event weight of \"{type}\" must be a finite non-negative number.");
            }
        }
    }
}
