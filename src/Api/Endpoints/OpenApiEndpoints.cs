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
        app.MapGet("/openapi.json", (HttpContext context, ConfigurationStore configuration, AuthOptions auth) =>
        {
            var snapshot = configuration.Current ?? throw new ApiException(
                StatusCodes.Status503ServiceUnavailable, new ApiError(ErrorTypes.Configuration, "ConfigurationNotLoaded", "no configuration loaded yet."));
            var document = Documents.GetValue(snapshot, s => JsonSerializer.SerializeToUtf8Bytes(OpenApiSecurity.Apply(OpenApiDocumentBuilder.Build(s), auth)));
            return TypedResults.Bytes(document, "application/json");
        }).ExcludeFromDescription().RequireAccess(ApiAccess.Authenticated);
        return app;
    }

    public static IApplicationBuilder UsePersonalizationSwaggerUi(this IApplicationBuilder app)
    {
        var auth = app.ApplicationServices.GetRequiredService<AuthOptions>();
        return app.UseSwaggerUI(options =>
        {
            options.RoutePrefix = "swagger";
            options.SwaggerEndpoint("/openapi.json", "Personalization API");
            options.DocumentTitle = "Personalization API";
            options.EnablePersistAuthorization();
            if (auth.Enabled)
            {
                // The document itself needs credentials (it lists every namespace): ask once per browser session for a
                // key or token to load it with; Authorize then sets what the "Try it out" calls send.
                options.UseRequestInterceptor(SpecCredentialInterceptor);
            }
        });
    }

    private const string SpecCredentialInterceptor = """
        (req) => {
          if (!req.loadSpec) { return req; }
          let credential = sessionStorage.getItem('personalization-credential');
          if (!credential) {
            credential = window.prompt('X-Api-Key or bearer token (JWT) to load the API description');
            if (credential) { sessionStorage.setItem('personalization-credential', credential); }
          }
          if (credential) {
            if (credential.split('.').length === 3) { req.headers['Authorization'] = 'Bearer ' + credential; }
            else { req.headers['X-Api-Key'] = credential; }
          }
          return req;
        }
        """;
}
