namespace Personalization.Grains.Events;

public enum RecordStatus
{
    Delivered,

    /// <summary>Throttling, 5xx, timeouts, per-record ProvisionedThroughputExceeded/InternalFailure: send again later.</summary>
    RetryableFailure,

    /// <summary>Sending again cannot help (validation, access denied, record too large).</summary>
    PermanentFailure,
}
