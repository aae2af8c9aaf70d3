namespace Personalization.Aws.Personalize.Control;

/// <summary>Input of DescribeSolutionVersion.</summary>
public sealed class DescribeSolutionVersionRequest
{
    public string SolutionVersionArn { get; set; } = "";
}
