namespace Personalization.Grains.Events;

/// <summary>
/// One validated event of <c>eventList[]</c>, shaped like the PutEvents <c>Event</c> (property names as the model
/// spells them). <see cref="Properties"/> is always the JSON-string form, whether the client sent a string or an object.
/// </summary>
public sealed class EventData
{
    public string? EventId { get; init; }

    public required string EventType { get; init; }

    public float? EventValue { get; init; }

    public string? ItemId { get; init; }

    public string? Properties { get; init; }

    public required DateTimeOffset SentAt { get; init; }

    public string? RecommendationId { get; init; }

    public IReadOnlyList<string>? Impression { get; init; }

    public EventMetricAttribution? MetricAttribution { get; init; }
}
