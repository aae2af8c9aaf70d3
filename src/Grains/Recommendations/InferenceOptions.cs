using System.Collections.Frozen;

namespace Personalization.Grains.Recommendations;

/// <summary>
/// The client's inference options, validated. Maps carry a canonical form (sorted keys) so that equal options share
/// one cache entry whatever order the client wrote them in.
/// </summary>
public sealed record InferenceOptions
{
    public const int DefaultNumResults = 25;
    public const int MaxNumResults = 500;

    public int NumResults { get; init; } = DefaultNumResults;

    /// <summary>The `filter` query parameter: a filter name or a full filter ARN.</summary>
    public string? Filter { get; init; }

    public CanonicalMap FilterValues { get; init; } = CanonicalMap.Empty;

    public CanonicalMap Context { get; init; } = CanonicalMap.Empty;

    public bool DecorateItems { get; init; } = true;

    /// <summary>Top-level metadata fields to keep (`decorateFields=a,b`); null keeps all.</summary>
    public FrozenSet<string>? DecorateFields { get; init; }

    /// <summary>Canonical form of <see cref="DecorateFields"/> for cache keys.</summary>
    public string? DecorateFieldsKey { get; init; }

    public bool SyntheticUser { get; init; }

    /// <summary>Picks one of the recommender's experiments by feature name.</summary>
    public string? Feature { get; init; }
}

/// <summary>A string-to-string map with a canonical text form, used for filterValues and context.</summary>
public sealed class CanonicalMap
{
    public static readonly CanonicalMap Empty = new(FrozenDictionary<string, string>.Empty, string.Empty);

    public CanonicalMap(IReadOnlyDictionary<string, string> values, string canonical)
    {
        Values = values;
        Canonical = canonical;
    }

    public IReadOnlyDictionary<string, string> Values { get; }

    /// <summary>Sorted <c>key=value</c> pairs; equal maps have equal text.</summary>
    public string Canonical { get; }

    public bool IsEmpty => Values.Count == 0;

    public static CanonicalMap From(IEnumerable<KeyValuePair<string, string>> pairs)
    {
        var sorted = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in pairs)
        {
            sorted[key] = value;
        }

        if (sorted.Count == 0)
        {
            return Empty;
        }

        var canonical = string.Join('\u001f', sorted.Select(pair => pair.Key + "=" + pair.Value));
        return new CanonicalMap(sorted.ToFrozenDictionary(StringComparer.Ordinal), canonical);
    }

    /// <summary>This map with <paramref name="defaults"/> filling only the keys it lacks (client keys win).</summary>
    public CanonicalMap WithDefaults(IEnumerable<KeyValuePair<string, string>> defaults)
    {
        var merged = new Dictionary<string, string>(Values, StringComparer.Ordinal);
        var changed = false;
        foreach (var (key, value) in defaults)
        {
            changed |= merged.TryAdd(key, value);
        }

        return changed ? From(merged) : this;
    }
}
