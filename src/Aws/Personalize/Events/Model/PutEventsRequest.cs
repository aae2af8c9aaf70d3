namespace Personalization.Aws.Personalize.Events;

/// <summary>Input of personalize-events PutEvents (POST /events).</summary>
public sealed class PutEventsRequest
{
    public string TrackingId { get; set; } = "";

    public string? UserId { get; set; }

    public string SessionId { get; set; } = "";

    public List<Event> EventList { get; set; } = [];
}
