namespace Personalization.Aws.Personalize.Events;

/// <summary>Input of PutItems (POST /items).</summary>
public sealed class PutItemsRequest
{
    public string DatasetArn { get; set; } = "";

    public List<Item> Items { get; set; } = [];
}
