using Personalization.Grains.Configuration;

namespace Personalization.Grains.Recommenders;

/// <summary>Picks the backend for a variation's type among those registered.</summary>
public sealed class RecommenderBackends(IEnumerable<IRecommenderBackend> backends)
{
    private readonly IRecommenderBackend?[] _byType = Enum.GetValues<VariationType>()
        .Select(type => backends.FirstOrDefault(b => b.Supports(type)))
        .ToArray();

    public IRecommenderBackend For(ResolvedVariation variation) =>
        _byType[(int)variation.Type] ?? throw new RecommenderBackendException(
            BackendFailure.NotSupported,
            "VariationTypeNotSupported",
            $"variation '{variation.Key}' has type {variation.Type}, which this deployment cannot call (no backend is registered for it).");
}
