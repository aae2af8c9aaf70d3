using System.Text.Json;
using Personalization.Api.Auth;
using Personalization.Api.Errors;
using Personalization.Api.Http;
using Personalization.Grains.Configuration;
using Personalization.Grains.Context;
using Personalization.Grains.Events;
using Personalization.Grains.Experiments;
using Personalization.Grains.Hosting;
using Personalization.Grains.Users;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;

namespace Personalization.Api.Endpoints;

/// <summary>
/// POST /events/{namespace}: validate, enrich with auto context, fan out to every target (answered once all accepted,
/// with per-target results), then let the user's grain see the events.
/// </summary>
internal static partial class EventEndpoints
{
    public static IEndpointRouteBuilder MapEventEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/events/{ns}", PostEventsAsync).WithTags("Events").RequireAccess(ApiAccess.Events);
        return app;
    }

    private static async Task PostEventsAsync(
        HttpContext context,
        string ns,
        ConfigurationStore configuration,
        EventsRequestParser parser,
        EventTargetRegistry targets,
        ExperimentRegistry experiments,
        AutoContextResolver autoContext,
        GrainReferences<IUserGrain> users,
        ILoggerFactory loggers)
    {
        context.Response.Headers.CacheControl = "no-store";
        if (configuration.Current is not { } snapshot || !snapshot.TryGetNamespace(ns, out var resolved))
        {
            throw ApiException.NotFound("NamespaceNotFound", $"namespace '{ns}' is not configured.");
        }

        if (resolved.EventTargets.Count == 0)
        {
            throw ApiException.NotFound("NamespaceEventTargetsNotFound", $"namespace '{ns}' has no eventTargets configured.");
        }

        var body = await RequestBody.ReadAsync(context, parser.Limits.MaxBodyBytes);
        var parsed = parser.Parse(body.Span);
        if (parsed.Status == EventsParseStatus.TooLarge)
        {
            throw new ApiException(StatusCodes.Status413PayloadTooLarge, new ApiError(ErrorTypes.Validation, "RequestTooLarge", $"the body is larger than {parser.Limits.MaxBodyBytes} bytes."));
        }

        if (!parsed.IsValid)
        {
            throw ApiException.BadRequest("InvalidEvents", string.Join("; ", parsed.Errors));
        }

        var request = parsed.Request!;
        AuthMiddleware.EnsureMayActFor(context, request.UserId);
        var conversions = ExperimentConversionBatchFor(request, body, experiments.ConversionsFor(resolved));
        if (!resolved.AutoContext.IsEmpty)
        {
            request = WithContext(request, autoContext.Resolve(resolved.AutoContext, new HttpRequestHeaders(context.Request.Headers)));
        }

        var namespaceTargets = targets.For(resolved);
        var origin = new EventOrigin(ns, context.Request.Path.Value ?? string.Empty, ForwardedHeaders(context, resolved), Query(context));
        var result = await EventFanOut.SendAsync(new EventSubmission(origin, request), namespaceTargets.Queues, namespaceTargets.Mode, context.RequestAborted);
        if (result.Status is FanOutStatus.Rejected or FanOutStatus.ShuttingDown)
        {
            throw new ApiException(
                result.HttpStatusCode,
                new ApiError(ErrorTypes.Backend, result.Status == FanOutStatus.Rejected ? "EventQueueFull" : "ShuttingDown",
                    $"no event was accepted: target '{result.RejectedBy}' cannot take more now; retry after the Retry-After delay."),
                result.RetryAfter ?? TimeSpan.FromSeconds(1));
        }

        if (request.UserId is { } userId)
        {
            var events = request.EventList.Select(e => new UserEvent(e.EventType, e.ItemId, e.SentAt.ToUnixTimeSeconds(), e.RecommendationId, e.EventValue)).ToArray();
            var conversionRecords = conversions.Select(ExperimentConversionRecord.From).ToArray();
            try
            {
                await users.Get(UserGrain.Key(ns, userId)).RecordEventsAsync(new UserEvents(ns, events, conversionRecords));
            }
            catch (Exception exception) when (exception is OrleansException or TimeoutException)
            {
                // The targets already have the events: answering an error now would make the client send them twice.
                // The user's grain (its silo just died, say) misses them: history and conversions lose this batch and
                // cached responses expire by max-age instead of being cleared now.
                LogUserGrainMissedEvents(loggers.CreateLogger(typeof(EventEndpoints).FullName!), exception, ns, events.Length);
            }
        }

        context.Response.StatusCode = result.HttpStatusCode;
        await context.Response.WriteAsJsonAsync(result.ToResponse(), EventsJsonContext.Default.EventsResponse, cancellationToken: context.RequestAborted);
    }

    private static IReadOnlyList<ExperimentConversion> ExperimentConversionBatchFor(EventsRequest request, ReadOnlyMemory<byte> body, ExperimentConversionResolver resolver)
    {
        if (request.ExperimentConversionsBody is null)
        {
            return [];
        }

        using var document = JsonDocument.Parse(body);
        var batch = resolver.Resolve(document.RootElement);
        return batch.IsValid ? batch.Conversions : throw ApiException.BadRequest("InvalidExperimentConversions", string.Join("; ", batch.Errors));
    }

    /// <summary>Auto context fills each event's properties (the original changed the shared objects in place; this copies).</summary>
    private static EventsRequest WithContext(EventsRequest request, ResolvedContext resolved)
    {
        if (resolved.IsEmpty)
        {
            return request;
        }

        var events = request.EventList.Select(e => new EventData
        {
            EventId = e.EventId,
            EventType = e.EventType,
            EventValue = e.EventValue,
            ItemId = e.ItemId,
            Properties = ContextMerging.EventProperties(e.Properties, resolved),
            SentAt = e.SentAt,
            RecommendationId = e.RecommendationId,
            Impression = e.Impression,
            MetricAttribution = e.MetricAttribution,
        }).ToArray();
        return new EventsRequest { SessionId = request.SessionId, UserId = request.UserId, EventList = events, ExperimentConversionsBody = request.ExperimentConversionsBody };
    }

    /// <summary>Only the headers auto context reads, plus the user agent; never credentials (the original forwarded all).</summary>
    private static Dictionary<string, string> ForwardedHeaders(HttpContext context, ResolvedNamespace ns)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var name in ns.AutoContext.HeaderNames.Append("user-agent"))
        {
            if (context.Request.Headers.TryGetValue(name, out var value) && value.Count > 0)
            {
                headers[name.ToLowerInvariant()] = value.ToString();
            }
        }

        return headers;
    }

    private static Dictionary<string, string>? Query(HttpContext context) =>
        context.Request.Query.Count == 0 ? null : context.Request.Query.ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.Ordinal);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Events of namespace {Namespace} were delivered but the user's grain could not record them ({Count} events)")]
    private static partial void LogUserGrainMissedEvents(ILogger logger, Exception exception, string @namespace, int count);
}
