using System.Text.Json;
using Personalization.Aws.Json;
using Personalization.LocalAws.Faults;
using Personalization.LocalAws.Services;

namespace Personalization.LocalAws.Admin;

/// <summary>/_local/* endpoints to drive the server by hand or from other processes.</summary>
public static class AdminEndpoints
{
    private static readonly JsonSerializerOptions SeedJson = new(JsonSerializerDefaults.Web) { Converters = { new EpochSecondsConverter() } };

    public static void MapLocalAdmin(this IEndpointRouteBuilder app, LocalAwsState state)
    {
        var admin = app.MapGroup("/_local");

        admin.MapGet("/recorded", (string? operation) =>
            Results.Ok(operation is null ? state.Recorded.All : state.Recorded.For(operation)));
        admin.MapDelete("/recorded", () =>
        {
            state.Recorded.Clear();
            return Results.NoContent();
        });

        admin.MapPost("/faults", (FaultRequest fault) =>
        {
            if (string.IsNullOrWhiteSpace(fault.Operation) || string.IsNullOrWhiteSpace(fault.ErrorCode)
                || (fault.Percent is null ? fault.Count < 1 : fault.Percent is not (> 0 and <= 100))
                || fault.StatusCode is < 400 or > 599)
            {
                return Results.BadRequest(new { message = "operation, errorCode, count >= 1 (or percent in (0, 100]) and statusCode 400..599 are required." });
            }

            var injected = new InjectedFault(fault.ErrorCode, fault.StatusCode, fault.Message);
            if (fault.Percent is { } percent)
            {
                state.Faults.FailShare(fault.Operation, percent, injected);
            }
            else
            {
                state.Faults.FailNext(fault.Operation, fault.Count, injected);
            }

            return Results.NoContent();
        });
        admin.MapPost("/latency", (LatencyRequest latency) =>
        {
            if (string.IsNullOrWhiteSpace(latency.Operation) || latency.Milliseconds < 0)
            {
                return Results.BadRequest(new { message = "operation and milliseconds >= 0 are required." });
            }

            state.Faults.SetLatency(latency.Operation, TimeSpan.FromMilliseconds(latency.Milliseconds));
            return Results.NoContent();
        });
        admin.MapDelete("/faults", () =>
        {
            state.Faults.Clear();
            return Results.NoContent();
        });

        admin.MapPut("/control-plane", async (HttpRequest request) =>
        {
            ControlPlaneSeed? seed;
            try
            {
                seed = await JsonSerializer.DeserializeAsync<ControlPlaneSeed>(request.Body, SeedJson, request.HttpContext.RequestAborted);
            }
            catch (JsonException e)
            {
                return Results.BadRequest(new { message = "The control-plane seed is not valid JSON: " + e.Message });
            }

            if (seed is null)
            {
                return Results.BadRequest(new { message = "A control-plane seed object is required." });
            }

            seed.ApplyTo(state.ControlPlane);
            return Results.NoContent();
        });

        // A function's answer: the request body as its payload; ?functionError=Unhandled answers it as the function's error.
        admin.MapPut("/lambda/functions/{function}", async (string function, string? functionError, HttpRequest request) =>
        {
            var payload = await ReadBodyAsync(request);
            state.Lambda.SetAnswer(function, new FunctionAnswer(payload, string.IsNullOrEmpty(functionError) ? null : functionError));
            return Results.NoContent();
        });
        admin.MapDelete("/lambda/functions/{function}", (string function) =>
        {
            state.Lambda.ClearAnswer(function);
            return Results.NoContent();
        });

        // An endpoint's answer: the request body with its Content-Type.
        admin.MapPut("/sagemaker/endpoints/{endpoint}", async (string endpoint, HttpRequest request) =>
        {
            var body = await ReadBodyAsync(request);
            state.SageMaker.SetAnswer(endpoint, new EndpointAnswer(body, request.ContentType ?? "application/json"));
            return Results.NoContent();
        });
        admin.MapDelete("/sagemaker/endpoints/{endpoint}", (string endpoint) =>
        {
            state.SageMaker.ClearAnswer(endpoint);
            return Results.NoContent();
        });

        admin.MapPut("/appconfig/{application}/{environment}/{profile}", async (string application, string environment, string profile, HttpRequest request) =>
        {
            var version = state.AppConfig.SetConfiguration(
                application, environment, profile, await ReadBodyAsync(request), request.ContentType ?? "application/json",
                request.Headers["Version-Label"].FirstOrDefault());
            return Results.Ok(new { version });
        });
    }

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request)
    {
        using var content = new MemoryStream();
        await request.Body.CopyToAsync(content, request.HttpContext.RequestAborted);
        return content.ToArray();
    }
}
