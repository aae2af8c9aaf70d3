namespace Personalization.Grains.Events;

/// <summary>The PutEvents <c>MetricAttribution</c> of an event: where the event came from, for attribution reports.</summary>
public sealed record EventMetricAttribution(string EventAttributionSource);
