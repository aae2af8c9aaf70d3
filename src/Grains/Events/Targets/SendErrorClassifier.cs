namespace Personalization.Grains.Events;

/// <summary>
/// Turns an exception from a client call into a <see cref="SendError"/>. Bind the AWS clients' exceptions with
/// e.g. <c>e =&gt; e is AwsServiceException a ? new SendError(a.IsRetryable, a.ErrorCode, a.Message) : SendErrors.Classify(e)</c>.
/// </summary>
public delegate SendError SendErrorClassifier(Exception exception);

public static class SendErrors
{
    /// <summary>Transport-level failures (timeouts, I/O, HTTP) are retryable; anything else is permanent.</summary>
    public static SendError Classify(Exception exception) => exception switch
    {
        TimeoutException or OperationCanceledException => new SendError(true, "Timeout", exception.Message),
        HttpRequestException or IOException => new SendError(true, exception.GetType().Name, exception.Message),
        _ => new SendError(false, exception.GetType().Name, exception.Message),
    };
}
