namespace Personalization.Grains.Events;

/// <summary>One PutEvents call: at most 10 events, all of one session and user (PutEvents has one of each per call).</summary>
public sealed record PersonalizePutEvents(string TrackingId, string SessionId, string? UserId, IReadOnlyList<EventData> EventList);

/// <summary>Binds to <c>IPersonalizeEventsClient.PutEventsAsync</c>; a failure throws (PutEvents is all-or-nothing).</summary>
public delegate Task PutEventsSender(PersonalizePutEvents request, CancellationToken cancellationToken);
