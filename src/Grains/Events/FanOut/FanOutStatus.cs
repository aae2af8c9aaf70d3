namespace Personalization.Grains.Events;

public enum FanOutStatus
{
    /// <summary>200: every target delivered every event.</summary>
    Delivered,

    /// <summary>502: some target failed some events; <see cref="FanOutResult.Targets"/> says which and why.</summary>
    PartiallyFailed,

    /// <summary>202: every target's queue accepted the events (async mode).</summary>
    Accepted,

    /// <summary>429 + Retry-After: a queue was full; no target received anything.</summary>
    Rejected,

    /// <summary>503: shutting down; no target received anything.</summary>
    ShuttingDown,
}
