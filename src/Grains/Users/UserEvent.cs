namespace Personalization.Grains.Users;

/// <summary>An accepted event as the user grain keeps it in the user's recent history.</summary>
[GenerateSerializer, Immutable, Alias("personalization.UserEvent")]
public sealed record UserEvent(string EventType, string? ItemId, long SentAt, string? RecommendationId, float? EventValue);
