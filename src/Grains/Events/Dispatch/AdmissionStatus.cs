namespace Personalization.Grains.Events;

public enum AdmissionStatus
{
    Accepted,

    /// <summary>A queue is full: 429 with Retry-After. Nothing of the request was queued anywhere.</summary>
    QueueFull,

    /// <summary>The queue is draining for shutdown: 503.</summary>
    ShuttingDown,
}
