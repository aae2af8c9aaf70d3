namespace Personalization.Grains.Recommenders;

[GenerateSerializer, Alias("personalization.BackendFailure")]
public enum BackendFailure
{
    /// <summary>The backend throttled us: the client may retry after <see cref="RecommenderBackendException.RetryAfter"/>.</summary>
    Throttled,

    /// <summary>The backend is down or erroring.</summary>
    Unavailable,

    /// <summary>The backend did not answer in time.</summary>
    Timeout,

    /// <summary>The backend rejected the request's parameters (a client-caused error).</summary>
    InvalidRequest,

    /// <summary>The configured resource (campaign, filter, endpoint) does not exist.</summary>
    ResourceNotFound,

    /// <summary>The variation's type cannot be served by this build.</summary>
    NotSupported,

    /// <summary>The backend answered, but with something unusable: a function error, a model error, a malformed body (502).</summary>
    BadResponse,
}

/// <summary>
/// A backend failure, classified so the API can answer 400/404/429/501/502/503/504 without leaking internals. It is
/// thrown inside a user grain and crosses the grain call to the silo that took the request, so it is serializable
/// and carries no inner exception (an AWS exception would not survive the trip; it is logged where it happened).
/// </summary>
[GenerateSerializer, Alias("personalization.RecommenderBackendException")]
public sealed class RecommenderBackendException : Exception
{
    public RecommenderBackendException(BackendFailure failure, string code, string message, TimeSpan? retryAfter = null, Exception? inner = null)
        : base(message, inner)
    {
        Failure = failure;
        Code = code;
        RetryAfter = retryAfter;
    }

    [Id(0)]
    public BackendFailure Failure { get; private set; }

    [Id(1)]
    public string Code { get; private set; }

    [Id(2)]
    public TimeSpan? RetryAfter { get; private set; }

    /// <summary>
    /// The backend itself failed (down, slow, throttling, or its resource missing), as opposed to a request it rejected
    /// or a type this build cannot call: what trips its circuit breaker and what a stale or fallback answer may cover.
    /// </summary>
    public bool IsBackendOutage => Failure is BackendFailure.Unavailable or BackendFailure.Timeout or BackendFailure.Throttled or BackendFailure.ResourceNotFound or BackendFailure.BadResponse;
}
