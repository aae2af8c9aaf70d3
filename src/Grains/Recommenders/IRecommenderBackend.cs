using Personalization.Grains.Configuration;

namespace Personalization.Grains.Recommenders;

/// <summary>A recommender the service can call: built-in, Amazon Personalize, HTTP.</summary>
public interface IRecommenderBackend
{
    bool Supports(VariationType type);

    /// <summary>recommend-items and related-items (GetRecommendations); rerank-items (GetPersonalizedRanking).</summary>
    Task<RecommenderResult> InvokeAsync(BackendRequest request, CancellationToken cancellationToken);
}
