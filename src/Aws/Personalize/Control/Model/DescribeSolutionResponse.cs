namespace Personalization.Aws.Personalize.Control;

/// <summary>Output of DescribeSolution.</summary>
public sealed class DescribeSolutionResponse
{
    public Solution? Solution { get; set; }
}
