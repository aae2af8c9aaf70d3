namespace Personalization.Aws.Personalize.Control;

/// <summary>AutoML recipe choice.</summary>
public sealed class AutoMLConfig
{
    public string? MetricName { get; set; }

    public List<string>? RecipeList { get; set; }
}
