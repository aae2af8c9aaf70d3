using System.Text.Json.Serialization;

namespace Personalization.Grains.Events;

public enum TargetDeliveryStatus
{
    [JsonStringEnumMemberName("delivered")]
    Delivered,

    [JsonStringEnumMemberName("failed")]
    Failed,
}
