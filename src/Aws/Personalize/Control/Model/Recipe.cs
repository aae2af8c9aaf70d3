namespace Personalization.Aws.Personalize.Control;

/// <summary>A Personalize recipe.</summary>
public sealed class Recipe
{
    public string? Name { get; set; }

    public string? RecipeArn { get; set; }

    public string? AlgorithmArn { get; set; }

    public string? FeatureTransformationArn { get; set; }

    public string? Status { get; set; }

    public string? Description { get; set; }

    public DateTimeOffset? CreationDateTime { get; set; }

    public string? RecipeType { get; set; }

    public DateTimeOffset? LastUpdatedDateTime { get; set; }
}
