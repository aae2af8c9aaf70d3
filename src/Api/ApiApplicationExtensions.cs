using Microsoft.Extensions.DependencyInjection.Extensions;
using Personalization.Api.Auth;
using Personalization.Api.Endpoints;
using Personalization.Api.Errors;
using Personalization.Api.Http;
using Personalization.Api.Limits;
using Personalization.Api.Observability;

namespace Personalization.Api;

public static class ApiApplicationExtensions
{
    /// <summary>The HTTP layer's services: authentication and authorization, error handling, health checks, metrics and traces.</summary>
    public static IServiceCollection AddPersonalizationApi(this IServiceCollection services, AuthOptions? auth = null, AbuseLimitOptions? limits = null, ObservabilityOptions? observability = null)
    {
        services.AddPersonalizationAuth(auth ?? new AuthOptions());
        services.AddAbuseLimits(limits ?? new AbuseLimitOptions());
        services.AddExceptionHandler<ApiExceptionHandler>();
        services.AddProblemDetails();
        services.AddPersonalizationHealthChecks();
        services.AddPersonalizationTelemetry(observability ?? new ObservabilityOptions());
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
        // Observable instruments exist once their owner does: the silo-count gauge is created now, not on first use.
        _ = app.Services.GetRequiredService<ClusterMetrics>();
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
        app.MapMetricsEndpoint();
        app.MapDashboard(app.Services.GetRequiredService<ObservabilityOptions>());
        app.MapOpenApiEndpoints();
        return app;
    }
}
