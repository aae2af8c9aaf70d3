namespace Personalization.Aws.Personalize.Control;

/// <summary>Output of DescribeSolutionVersion.</summary>
public sealed class DescribeSolutionVersionResponse
{
    public SolutionVersion? SolutionVersion { get; set; }
}
