namespace Personalization.Grains.Events;

/// <summary>One target's part of a synchronous events response.</summary>
public sealed record TargetDeliveryResult(string Target, TargetDeliveryStatus Status, int Delivered, int Failed = 0, TargetDeliveryError? Error = null);

/// <summary>The first error a target reported for the request's events.</summary>
public sealed record TargetDeliveryError(string Code, string Message);
