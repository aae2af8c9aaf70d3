namespace Personalization.Aws.Personalize.Events;

/// <summary>Source of an event for metric attribution.</summary>
public sealed class MetricAttribution
{
    public string EventAttributionSource { get; set; } = "";
}
