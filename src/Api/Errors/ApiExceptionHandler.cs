using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;
using Personalization.Api.Http;
using Personalization.Api.Metrics;
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
        if (status == StatusCodes.Status500InternalServerError)
        {
            // Only a bug gets here: every client mistake and every backend or cluster failure has its own status.
            var traceId = TraceId(httpContext);
            // The middleware clears the endpoint before handlers run; its feature keeps the one that failed.
            var endpoint = httpContext.Features.Get<IExceptionHandlerFeature>()?.Endpoint ?? httpContext.GetEndpoint();
            var route = (endpoint as RouteEndpoint)?.RoutePattern.RawText ?? "(no route)";
            ServerErrors.Add(1, new KeyValuePair<string, object?>("route", route), new KeyValuePair<string, object?>("exception", exception.GetType().Name));
            LogUnhandled(logger, exception, traceId, httpContext.Request.Method, httpContext.Request.Path);
            error = error with { Message = $"An unexpected error occurred; it has been logged under trace id {traceId}." };
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
        // Kestrel's own (malformed framing, a body over the limit, a client too slow to send it) derives from this one:
        // the status is the one Kestrel chose, 400, 408, 413 or 431.
        BadHttpRequestException bad => (bad.StatusCode, new ApiError(ErrorTypes.Validation, StatusCodeName(bad.StatusCode), bad.Message), null),
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

    private static string StatusCodeName(int status) => status switch
    {
        StatusCodes.Status408RequestTimeout => "RequestTimeout",
        StatusCodes.Status413PayloadTooLarge => "RequestTooLarge",
        StatusCodes.Status431RequestHeaderFieldsTooLarge => "RequestHeadersTooLarge",
        _ => "BadRequest",
    };

    /// <summary>The W3C trace id when the request is traced (what the logs and traces are searched by), else the connection's request id.</summary>
    private static string TraceId(HttpContext context) =>
        Activity.Current is { } activity ? activity.TraceId.ToHexString() : context.TraceIdentifier;

    /// <summary>Every 500 is a bug: an alert fires on any increase. Tagged by route pattern and exception type (bounded sets).</summary>
    private static readonly Counter<long> ServerErrors = ApiMetrics.Meter.CreateCounter<long>(
        "http.server_errors", "{response}", "Responses answered 500 because of a bug (an unexpected exception), by route and exception type");

    [LoggerMessage(Level = LogLevel.Error, Message = "Bug: unexpected error, answered 500 (trace id {TraceId}) on {Method} {Path}")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string traceId, string method, PathString path);
}
