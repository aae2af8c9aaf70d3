namespace Personalization.Grains.Events;

/// <summary>Body of a 200/202/502 events response: <c>{accepted, targets:[{target, status, delivered, failed, error?}]}</c>.</summary>
public sealed record EventsResponse(IReadOnlyList<TargetDeliveryResult>? Targets, int Accepted);
