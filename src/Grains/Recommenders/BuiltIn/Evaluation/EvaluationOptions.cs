namespace Personalization.Grains.Recommenders.BuiltIn.Evaluation;

public sealed record EvaluationOptions
{
    /// <summary>The last this-many days of interactions are the test period; everything before trains.</summary>
    public double HoldoutDays { get; init; } = 7;

    /// <summary>Cut-off rank for hit rate and NDCG.</summary>
    public int K { get; init; } = 10;

    public BuiltInRecommenderOptions Recommender { get; init; } = new();
}
