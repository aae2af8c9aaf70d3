namespace Personalization.Grains.Events;

/// <summary>A failed send, as an error code and message, and whether sending again may succeed.</summary>
public readonly record struct SendError(bool Retryable, string Code, string Message);
