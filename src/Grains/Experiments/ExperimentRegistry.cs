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

    public ExperimentAssigner For(ResolvedNamespace ns) =>
        _assigners.GetValue(ns, n => new ExperimentAssigner(n.Recommenders.SelectMany(r => r.Experiments.Values), timeProvider));

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
