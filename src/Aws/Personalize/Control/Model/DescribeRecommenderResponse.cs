namespace Personalization.Aws.Personalize.Control;

/// <summary>Output of DescribeRecommender.</summary>
public sealed class DescribeRecommenderResponse
{
    public Recommender? Recommender { get; set; }
}
