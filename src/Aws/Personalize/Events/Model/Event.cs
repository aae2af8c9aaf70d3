namespace Personalization.Aws.Personalize.Events;

/// <summary>One interaction event. Properties is a JSON object serialised into a string.</summary>
public sealed class Event
{
    public string? EventId { get; set; }

    public string EventType { get; set; } = "";

    public float? EventValue { get; set; }

    public string? ItemId { get; set; }

    public string? Properties { get; set; }

    public DateTimeOffset SentAt { get; set; }

    public string? RecommendationId { get; set; }

    public List<string>? Impression { get; set; }

    public MetricAttribution? MetricAttribution { get; set; }
}
