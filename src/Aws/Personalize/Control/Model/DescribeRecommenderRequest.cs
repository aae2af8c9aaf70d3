namespace Personalization.Aws.Personalize.Control;

/// <summary>Input of DescribeRecommender.</summary>
public sealed class DescribeRecommenderRequest
{
    public string RecommenderArn { get; set; } = "";
}
