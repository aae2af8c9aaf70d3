namespace Personalization.Grains.Context;

public enum DeviceKind
{
    Desktop,
    Mobile,
    Tablet,
    SmartTv,
}
