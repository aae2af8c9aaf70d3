namespace Personalization.Aws.Personalize.Events;

/// <summary>One action interaction; Properties is a JSON object serialised into a string.</summary>
public sealed class ActionInteraction
{
    public string ActionId { get; set; } = "";

    public string? UserId { get; set; }

    public string SessionId { get; set; } = "";

    public DateTimeOffset Timestamp { get; set; }

    public string EventType { get; set; } = "";

    public string? EventId { get; set; }

    public string? RecommendationId { get; set; }

    public List<string>? Impression { get; set; }

    public string? Properties { get; set; }
}
