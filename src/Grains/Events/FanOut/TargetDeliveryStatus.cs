using System.Text.Json.Serialization;

namespace Personalization.Grains.Events;

public enum TargetDeliveryStatus
{
    [JsonStringEnumMemberName("delivered")]
    Delivered,

    [JsonStringEnumMemberName("failed")]
    Failed,

    /// <summary>An async-mode target: its queue accepted the events; delivery follows.</summary>
    [JsonStringEnumMemberName("accepted")]
    Accepted,
}
