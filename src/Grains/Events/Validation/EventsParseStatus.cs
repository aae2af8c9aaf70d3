namespace Personalization.Grains.Events;

public enum EventsParseStatus
{
    Valid,

    /// <summary>Maps to 400 with the error list.</summary>
    Invalid,

    /// <summary>The body exceeds <see cref="EventsRequestLimits.MaxBodyBytes"/>; maps to 413.</summary>
    TooLarge,
}
