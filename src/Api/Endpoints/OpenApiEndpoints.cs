using System.Runtime.CompilerServices;
using System.Text.Json;
using Personalization.Api.Auth;
using Personalization.Api.Errors;
using Personalization.Api.OpenApi;
using Personalization.Grains.Configuration;

namespace Personalization.Api.Endpoints;

/// <summary>`/openapi.json` from the live configuration, and Swagger UI at `/swagger` over it.</summary>
internal static class OpenApiEndpoints
{
    private static readonly ConditionalWeakTable<ConfigurationSnapshot, byte[]> Documents = [];

    public static IEndpointRouteBuilder MapOpenApiEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/openapi.json", (HttpContext context, ConfigurationStore configuration) =>
        {
            var snapshot = configuration.Current ?? throw new ApiException(
                StatusCodes.Status503ServiceUnavailable, new ApiError(ErrorTypes.Configuration, "ConfigurationNotLoaded", "no configuration loaded yet."));
            var document = Documents.GetValue(snapshot, s => JsonSerializer.SerializeToUtf8Bytes(OpenApiDocumentBuilder.Build(s)));
            return TypedResults.Bytes(document, "application/json");
        }).ExcludeFromDescription().RequireAccess(ApiAccess.Authenticated);
        return app;
    }

    public static IApplicationBuilder UsePersonalizationSwaggerUi(this IApplicationBuilder app) =>
        app.UseSwaggerUI(options =>
        {
            options.RoutePrefix = "swagger";
            options.SwaggerEndpoint("/openapi.json", "Personalization API");
            options.DocumentTitle = "Personalization API";
        });
}
