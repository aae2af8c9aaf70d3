namespace Personalization.Aws.Personalize.Runtime;

/// <summary>One recommended action.</summary>
public sealed class PredictedAction
{
    public string? ActionId { get; set; }

    public double? Score { get; set; }
}
