namespace Personalization.Grains.Configuration;

/// <summary>`mode`: sync answers after delivery; async answers 202 and delivers from a bounded queue.</summary>
public enum EventDeliveryMode
{
    Sync,
    Async,
}
