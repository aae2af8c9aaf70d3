namespace Personalization.Aws.Personalize.Events;

/// <summary>An item record; Properties is a JSON object serialised into a string.</summary>
public sealed class Item
{
    public string ItemId { get; set; } = "";

    public string? Properties { get; set; }
}
