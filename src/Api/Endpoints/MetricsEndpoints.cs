using Personalization.Api.Auth;
using Personalization.Api.Metrics;

namespace Personalization.Api.Endpoints;

internal static class MetricsEndpoints
{
    public static IEndpointRouteBuilder MapMetricsEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/metrics", (PrometheusMetrics metrics) => TypedResults.Text(metrics.Render(), "text/plain; version=0.0.4; charset=utf-8"))
            .WithTags("Operations")
            .RequireAccess(ApiAccess.Admin)
            .ExcludeFromDescription();
        return app;
    }
}
