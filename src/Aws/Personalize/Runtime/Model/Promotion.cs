namespace Personalization.Aws.Personalize.Runtime;

/// <summary>Items to promote within recommendations.</summary>
public sealed class Promotion
{
    public string? Name { get; set; }

    public int? PercentPromotedItems { get; set; }

    public string? FilterArn { get; set; }

    public Dictionary<string, string>? FilterValues { get; set; }
}
