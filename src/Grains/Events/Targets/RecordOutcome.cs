namespace Personalization.Grains.Events;

/// <summary>What happened to one record of a batch.</summary>
public readonly record struct RecordOutcome(RecordStatus Status, string? ErrorCode = null, string? ErrorMessage = null)
{
    public static RecordOutcome Delivered => default;

    public static RecordOutcome Failed(SendError error) =>
        new(error.Retryable ? RecordStatus.RetryableFailure : RecordStatus.PermanentFailure, error.Code, error.Message);
}
