namespace Personalization.Grains.Events;

/// <summary>Request-level limits of <c>POST /events</c>; field limits come from the PutEvents model and are fixed.</summary>
public sealed record EventsRequestLimits
{
    public static readonly EventsRequestLimits Default = new();

    /// <summary>Events per request. PutEvents takes 10 per call; the Personalize target splits larger requests.</summary>
    public int MaxEventsPerRequest { get; init; } = 100;

    /// <summary>Body size in bytes (256 KiB by default); the API should also cap the read at this size.</summary>
    public int MaxBodyBytes { get; init; } = 256 * 1024;
}
