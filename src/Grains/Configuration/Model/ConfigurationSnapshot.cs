using System.Collections.Frozen;

namespace Personalization.Grains.Configuration;

/// <summary>
/// One validated configuration document, resolved once and never changed. Lookups are dictionary reads with
/// no allocation; span overloads let a router look up path segments without creating strings.
/// </summary>
public sealed class ConfigurationSnapshot
{
    private readonly FrozenDictionary<string, ResolvedNamespace> _namespaces;
    private readonly FrozenDictionary<string, ResolvedNamespace>.AlternateLookup<ReadOnlySpan<char>> _namespacesBySpan;

    internal ConfigurationSnapshot(
        string? version,
        string? description,
        ReadOnlyMemory<byte> rawJson,
        string contentHash,
        IReadOnlyList<ResolvedNamespace> namespaces)
    {
        Version = version;
        Description = description;
        RawJson = rawJson;
        ContentHash = contentHash;
        Namespaces = namespaces;
        _namespaces = namespaces.ToFrozenDictionary(n => n.Key, StringComparer.Ordinal);
        _namespacesBySpan = _namespaces.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>The document's `version`, echoed in X-Personalization-Config-Version.</summary>
    public string? Version { get; }

    public string? Description { get; }

    /// <summary>The document exactly as received.</summary>
    public ReadOnlyMemory<byte> RawJson { get; }

    /// <summary>Hex SHA-256 of <see cref="RawJson"/>; equal hashes mean a reload changed nothing.</summary>
    public string ContentHash { get; }

    public IReadOnlyList<ResolvedNamespace> Namespaces { get; }

    public bool TryGetNamespace(string key, out ResolvedNamespace ns) => _namespaces.TryGetValue(key, out ns!);

    public bool TryGetNamespace(ReadOnlySpan<char> key, out ResolvedNamespace ns) => _namespacesBySpan.TryGetValue(key, out ns!);

    public bool TryGetRecommender(string ns, RecommenderAction action, string name, out ResolvedRecommender recommender)
    {
        recommender = null!;
        return _namespaces.TryGetValue(ns, out var resolved) && resolved.TryGetRecommender(action, name, out recommender);
    }

    public bool TryGetRecommender(ReadOnlySpan<char> ns, RecommenderAction action, ReadOnlySpan<char> name, out ResolvedRecommender recommender)
    {
        recommender = null!;
        return _namespacesBySpan.TryGetValue(ns, out var resolved) && resolved.TryGetRecommender(action, name, out recommender);
    }
}
