namespace Personalization.Aws.Personalize.Control;

/// <summary>Input of DescribeRecipe.</summary>
public sealed class DescribeRecipeRequest
{
    public string RecipeArn { get; set; } = "";
}
