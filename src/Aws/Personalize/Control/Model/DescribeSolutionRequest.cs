namespace Personalization.Aws.Personalize.Control;

/// <summary>Input of DescribeSolution.</summary>
public sealed class DescribeSolutionRequest
{
    public string SolutionArn { get; set; } = "";
}
