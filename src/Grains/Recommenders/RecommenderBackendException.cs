namespace Personalization.Grains.Recommenders;

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
}

/// <summary>A backend failure, classified so the API can answer 400/404/429/501/502/503/504 without leaking internals.</summary>
public sealed class RecommenderBackendException(BackendFailure failure, string code, string message, TimeSpan? retryAfter = null, Exception? inner = null)
    : Exception(message, inner)
{
    public BackendFailure Failure { get; } = failure;

    public string Code { get; } = code;

    public TimeSpan? RetryAfter { get; } = retryAfter;
}
