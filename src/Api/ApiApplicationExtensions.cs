using Microsoft.Extensions.DependencyInjection.Extensions;
using Personalization.Api.Auth;
using Personalization.Api.Endpoints;
using Personalization.Api.Errors;
using Personalization.Api.Http;
using Personalization.Api.Limits;
using Personalization.Api.Metrics;

namespace Personalization.Api;

public static class ApiApplicationExtensions
{
    /// <summary>The HTTP layer's services: authentication and authorization, error handling and metrics exposition.</summary>
    public static IServiceCollection AddPersonalizationApi(this IServiceCollection services, AuthOptions? auth = null, AbuseLimitOptions? limits = null)
    {
        services.AddPersonalizationAuth(auth ?? new AuthOptions());
        services.AddAbuseLimits(limits ?? new AbuseLimitOptions());
        services.AddExceptionHandler<ApiExceptionHandler>();
        services.AddProblemDetails();
        services.AddSingleton(_ => new PrometheusMetrics(meter => meter.Name.StartsWith("Personalization", StringComparison.Ordinal)
            || meter.Name.StartsWith("Microsoft.AspNetCore.Hosting", StringComparison.Ordinal)
            || meter.Name is "Microsoft.AspNetCore.RateLimiting" or "Microsoft.AspNetCore.Authentication" or "Microsoft.AspNetCore.Authorization"
            || meter.Name == "Microsoft.Orleans"));
        services.ConfigureHttpJsonOptions(options =>
        {
            options.SerializerOptions.TypeInfoResolverChain.Insert(0, ApiJsonContext.Default);
            options.SerializerOptions.Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
        });
        return services;
    }

    /// <summary>The middleware and every endpoint: recommendations, experiments, operations, OpenAPI and Swagger UI.</summary>
    public static WebApplication UsePersonalizationApi(this WebApplication app)
    {
        // The listener only sees measurements made after it exists: create it now, not on the first scrape.
        _ = app.Services.GetRequiredService<PrometheusMetrics>();
        var auth = app.Services.GetRequiredService<AuthOptions>();
        var limits = app.Services.GetRequiredService<AbuseLimitOptions>();
        if (auth.Schemes.HasFlag(AuthSchemes.ApiKey))
        {
            // Now, not on the first request: the key file's watcher starts and the keys are in force from the start.
            _ = app.Services.GetRequiredService<ApiKeyStore>();
        }

        app.UseExceptionHandler();
        app.UseConfigVersionHeader();
        // Static pages holding no data; the document they show is behind the credentials.
        app.UsePersonalizationSwaggerUi();
        app.UseRouting();
        app.UseCorsFromSettings(limits);
        app.UseAdminListener(auth);
        app.UseRequestTimeouts();
        app.UseAuthentication();
        // Between authentication and authorization: callers are counted by who they are, and refused credentials
        // still count against the client's address.
        if (limits.RateLimits.Count > 0)
        {
            app.UseRateLimiter();
        }

        app.UseAuthorization();
        if (auth.Enabled)
        {
            app.UsePrivateCachingForCallers();
        }

        app.MapRecommendationEndpoints();
        app.MapEventEndpoints();
        app.MapExperimentEndpoints();
        app.MapHealthEndpoints();
        app.MapMetricsEndpoints();
        app.MapOpenApiEndpoints();
        return app;
    }
}
