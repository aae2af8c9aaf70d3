namespace Personalization.Aws.Personalize.Control;

/// <summary>The recipe AutoML picked.</summary>
public sealed class AutoMLResult
{
    public string? BestRecipeArn { get; set; }
}
