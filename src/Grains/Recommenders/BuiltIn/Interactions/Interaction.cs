namespace Personalization.Grains.Recommenders.BuiltIn.Interactions;

/// <summary>One row of Personalize's interactions schema; <see cref="Timestamp"/> is in epoch seconds.</summary>
public readonly record struct Interaction(string UserId, string ItemId, long Timestamp, string EventType, double? EventValue = null);
