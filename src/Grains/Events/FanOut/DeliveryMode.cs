namespace Personalization.Grains.Events;

/// <summary>The namespace's or target's <c>mode</c>.</summary>
public enum DeliveryMode
{
    /// <summary>Answer once every target has delivered (or finally failed) the events: 200 with per-target results.</summary>
    Sync,

    /// <summary>Answer once every target's queue has accepted the events: 202.</summary>
    Async,
}
