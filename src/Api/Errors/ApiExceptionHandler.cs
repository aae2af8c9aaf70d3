using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;
using Personalization.Api.Http;
using Personalization.Grains.Configuration;
using Personalization.Grains.Recommenders;

namespace Personalization.Api.Errors;

/// <summary>
/// Writes every failure as <c>{type, code, message}</c>. Client mistakes become 4xx; anything unexpected is logged
/// with its stack trace and answered with a 500 that carries no internals (the original leaked stack traces).
/// </summary>
internal sealed partial class ApiExceptionHandler(ILogger<ApiExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var (status, error, retryAfter) = Classify(exception);
        if (status >= 500)
        {
            LogUnhandled(logger, exception, httpContext.Request.Path);
        }

        if (httpContext.Response.HasStarted)
        {
            return false;
        }

        httpContext.Response.Clear();
        ConfigVersionHeader.Apply(httpContext, httpContext.RequestServices.GetRequiredService<ConfigurationStore>());
        httpContext.Response.StatusCode = status;
        httpContext.Response.Headers.CacheControl = "no-store";
        if (retryAfter is { } delay)
        {
            httpContext.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(delay.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        await httpContext.Response.WriteAsJsonAsync(error, ApiJsonContext.Readable.ApiError, cancellationToken: cancellationToken);
        return true;
    }

    internal static (int Status, ApiError Error, TimeSpan? RetryAfter) Classify(Exception exception) => exception switch
    {
        ApiException api => (api.StatusCode, api.Error, api.RetryAfter),
        RecommenderBackendException backend => Backend(backend),
        BadHttpRequestException bad => (bad.StatusCode, new ApiError(ErrorTypes.Validation, "BadRequest", bad.Message), null),
        JsonException json => (StatusCodes.Status400BadRequest, new ApiError(ErrorTypes.Validation, "InvalidJson", $"The request body is not valid JSON: {json.Message}"), null),
        OperationCanceledException => (StatusCodes.Status499ClientClosedRequest, new ApiError(ErrorTypes.Validation, "RequestCancelled", "The request was cancelled."), null),
        // A silo that died and is not yet declared dead, a rejected or timed-out grain call: the cluster recovers on its
        // own (the grain reactivates elsewhere), so this is a retryable 503, not a bug.
        OrleansException or TimeoutException => (StatusCodes.Status503ServiceUnavailable, new ApiError(ErrorTypes.Backend, "ClusterUnavailable", "The cluster could not reach this user's grain right now; retry after the Retry-After delay."), TimeSpan.FromSeconds(1)),
        _ => (StatusCodes.Status500InternalServerError, new ApiError(ErrorTypes.Unhandled, "InternalError", "An unexpected error occurred; it has been logged."), null),
    };

    /// <summary>Backend trouble becomes 4xx when the request caused it, else 429/501/502/503/504 — never a bare 500.</summary>
    private static (int Status, ApiError Error, TimeSpan? RetryAfter) Backend(RecommenderBackendException exception)
    {
        var status = exception.Failure switch
        {
            BackendFailure.Throttled => StatusCodes.Status429TooManyRequests,
            BackendFailure.InvalidRequest => StatusCodes.Status400BadRequest,
            BackendFailure.ResourceNotFound or BackendFailure.BadResponse => StatusCodes.Status502BadGateway,
            BackendFailure.Timeout => StatusCodes.Status504GatewayTimeout,
            BackendFailure.NotSupported => StatusCodes.Status501NotImplemented,
            _ => StatusCodes.Status503ServiceUnavailable,
        };
        var type = exception.Failure == BackendFailure.InvalidRequest ? ErrorTypes.Validation : ErrorTypes.Backend;
        var retryAfter = exception.RetryAfter ?? (status is StatusCodes.Status429TooManyRequests or StatusCodes.Status503ServiceUnavailable ? TimeSpan.FromSeconds(1) : null);
        return (status, new ApiError(type, exception.Code, exception.Message), retryAfter);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Error on {Path}")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, PathString path);
}
