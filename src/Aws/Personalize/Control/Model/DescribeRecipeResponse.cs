namespace Personalization.Aws.Personalize.Control;

/// <summary>Output of DescribeRecipe.</summary>
public sealed class DescribeRecipeResponse
{
    public Recipe? Recipe { get; set; }
}
