namespace Personalization.Aws.Personalize.Runtime;

/// <summary>One recommended or ranked item.</summary>
public sealed class PredictedItem
{
    public string? ItemId { get; set; }

    public double? Score { get; set; }

    public string? PromotionName { get; set; }

    public Dictionary<string, string>? Metadata { get; set; }

    public List<string>? Reason { get; set; }
}
