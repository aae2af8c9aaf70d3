using System.Runtime.CompilerServices;
using Personalization.Grains.Configuration;

namespace Personalization.Grains.Experiments;

/// <summary>
/// One <see cref="ExperimentAssigner"/> per namespace of a configuration snapshot, built on first use and dropped
/// with the snapshot (layers span the namespace's recommenders, so the assigner is per namespace).
/// </summary>
public sealed class ExperimentRegistry(TimeProvider timeProvider)
{
    private readonly ConditionalWeakTable<ResolvedNamespace, ExperimentAssigner> _assigners = [];
    private readonly ConditionalWeakTable<ResolvedNamespace, ExperimentConversionResolver> _conversions = [];

    public ExperimentAssigner For(ResolvedNamespace ns) =>
        _assigners.GetValue(ns, n => new ExperimentAssigner(n.Recommenders.SelectMany(r => r.Experiments.Values), timeProvider));

    /// <summary>Resolves `experimentConversions` of events against the namespace's experiments (recommender name → experiments per action).</summary>
    public ExperimentConversionResolver ConversionsFor(ResolvedNamespace ns) =>
        _conversions.GetValue(ns, n => new ExperimentConversionResolver(n.Recommenders
            .Where(r => r.Experiments.Count > 0)
            .GroupBy(r => r.Name, StringComparer.Ordinal)
            .ToDictionary(
                g => g.Key,
                g => (IReadOnlyList<RecommenderExperiments>)g.Select(r => new RecommenderExperiments(r.Action.ToWireName(), r.Experiments.Values.ToList())).ToList(),
                StringComparer.Ordinal)));

    /// <summary>The experiment of <paramref name="feature"/> in any recommender of the namespace, if one exists.</summary>
    public static ExperimentDefinition? Find(ResolvedNamespace ns, string feature)
    {
        foreach (var recommender in ns.Recommenders)
        {
            if (recommender.Experiments.TryGetValue(feature, out var experiment))
            {
                return experiment;
            }
        }

        return null;
    }

    /// <summary>The experiment a request runs under: the one its `feature` names, else the recommender's first.</summary>
    public static ExperimentDefinition? Select(ResolvedRecommender recommender, string? feature)
    {
        if (feature is not null)
        {
            return recommender.Experiments.GetValueOrDefault(feature);
        }

        foreach (var experiment in recommender.Experiments.Values)
        {
            return experiment;
        }

        return null;
    }
}
