using System.Collections.Frozen;
using Personalization.Grains.Context;

namespace Personalization.Grains.Configuration;

/// <summary>A namespace with its recommenders per action and the namespace-level settings (decoration and events read these).</summary>
public sealed class ResolvedNamespace
{
    private readonly FrozenDictionary<string, ResolvedRecommender>[] _byAction;
    private readonly FrozenDictionary<string, ResolvedRecommender>.AlternateLookup<ReadOnlySpan<char>>[] _byActionSpan;

    public ResolvedNamespace(
        string key,
        string? name,
        string? description,
        CacheControlConfig cacheControl,
        AutoContextConfig autoContext,
        ItemMetadataConfig? inferenceItemMetadata,
        IReadOnlyList<EventTargetConfig> eventTargets,
        IReadOnlyList<ResolvedRecommender> recommenders,
        BuiltinRecommenderConfig? builtinRecommender = null)
    {
        BuiltinRecommender = builtinRecommender;
        Key = key;
        Name = name;
        Description = description;
        CacheControl = cacheControl;
        AutoContext = autoContext;
        InferenceItemMetadata = inferenceItemMetadata;
        EventTargets = eventTargets;
        Recommenders = recommenders;
        _byAction = RecommenderActions.All
            .Select(action => recommenders.Where(r => r.Action == action).ToFrozenDictionary(r => r.Name, StringComparer.Ordinal))
            .ToArray();
        _byActionSpan = _byAction.Select(d => d.GetAlternateLookup<ReadOnlySpan<char>>()).ToArray();
    }

    public string Key { get; }

    public string? Name { get; }

    public string? Description { get; }

    public CacheControlConfig CacheControl { get; }

    /// <summary>The namespace's effective autoContext (its own, else the root's); events are enriched with it.</summary>
    public AutoContextConfig AutoContext { get; }

    /// <summary>The namespace's effective item metadata settings; decoration reads this level only.</summary>
    public ItemMetadataConfig? InferenceItemMetadata { get; }

    public IReadOnlyList<EventTargetConfig> EventTargets { get; }

    /// <summary>Training data and settings of the built-in recommender (extension); null uses the catalog alone.</summary>
    public BuiltinRecommenderConfig? BuiltinRecommender { get; }

    /// <summary>Every recommender of every action, in document order.</summary>
    public IReadOnlyList<ResolvedRecommender> Recommenders { get; }

    public bool TryGetRecommender(RecommenderAction action, string name, out ResolvedRecommender recommender) =>
        _byAction[(int)action].TryGetValue(name, out recommender!);

    public bool TryGetRecommender(RecommenderAction action, ReadOnlySpan<char> name, out ResolvedRecommender recommender) =>
        _byActionSpan[(int)action].TryGetValue(name, out recommender!);
}
