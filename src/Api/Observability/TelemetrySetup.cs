using OpenTelemetry;
using Orleans.Dashboard;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Personalization.Api.Auth;

namespace Personalization.Api.Observability;

/// <summary>
/// One OpenTelemetry set-up for the silo's metrics and traces: ASP.NET Core, HttpClient (every AWS and HTTP backend
/// call), the .NET runtime, Orleans (meter <c>Microsoft.Orleans</c>, activity sources <c>Microsoft.Orleans.Runtime</c> and
/// <c>Microsoft.Orleans.Application</c>) and the service's own meters (<c>Personalization.*</c>). Metrics are served in the
/// Prometheus text format on <c>/metrics</c>; traces go to OTLP when an endpoint is configured (<see cref="ObservabilityOptions"/>).
/// </summary>
public static class TelemetrySetup
{
    public const string MetricsPath = "/metrics";

    /// <summary>Orleans' meter; its instruments are named <c>orleans-*</c>.</summary>
    public const string OrleansMeter = "Microsoft.Orleans";

    /// <summary>Grain calls (Application) and the runtime's own work (Runtime): activation, directory, placement.</summary>
    public static readonly string[] OrleansActivitySources = ["Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application"];

    /// <summary>
    /// Buckets for request and backend durations (seconds): a cache hit takes well under a millisecond, so the
    /// instrumentations' default buckets (5 ms and up) would put every hit in the first one.
    /// </summary>
    public static readonly double[] LatencyBuckets = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    /// <summary>Paths no span is recorded for: probes and scrapes, many times a minute, tell nothing about a request.</summary>
    private static readonly string[] UntracedPaths = [MetricsPath, "/health", "/ready", ObservabilityOptions.DashboardPath];

    public static IServiceCollection AddPersonalizationTelemetry(this IServiceCollection services, ObservabilityOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        services.AddSingleton(options);
        services.AddSingleton<ClusterMetrics>();
        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(options.ServiceName, serviceInstanceId: Environment.MachineName))
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter(OrleansMeter, "Personalization.*", "Microsoft.AspNetCore.RateLimiting", "Microsoft.AspNetCore.Authentication", "Microsoft.AspNetCore.Authorization")
                .AddView(instrument => instrument is System.Diagnostics.Metrics.Histogram<double> && instrument.Unit == "s"
                    ? new ExplicitBucketHistogramConfiguration { Boundaries = LatencyBuckets }
                    : null)
                .AddPrometheusExporter(prometheus =>
                {
                    // Every scrape is a fresh collection (the default caches one for 300 ms); no otel_scope_* labels,
                    // so series keep the names and labels they had before OpenTelemetry.
                    prometheus.ScrapeResponseCacheDurationMilliseconds = 0;
                    prometheus.ScopeInfoEnabled = false;
                }));
        if (options.TracesEnabled)
        {
            telemetry.WithTracing(tracing =>
            {
                tracing
                    .AddAspNetCoreInstrumentation(aspNetCore => aspNetCore.Filter = context => !IsUntraced(context.Request.Path))
                    .AddHttpClientInstrumentation()
                    .AddSource(OrleansActivitySources)
                    .AddSource(Personalization.Grains.Diagnostics.PersonalizationTracing.SourceName);
                if (!options.IncludeUserIds)
                {
                    // Before any exporter: processors see a finished span in the order they were added.
                    tracing.AddProcessor(new PersonalDataRedaction());
                }

                tracing.AddOtlpExporter();
            });
        }

        return services;
    }

    /// <summary>`/metrics` in the Prometheus text (or OpenMetrics, when the scraper asks) format, admin-only when authentication is on.</summary>
    public static IEndpointRouteBuilder MapMetricsEndpoint(this IEndpointRouteBuilder app)
    {
        app.MapPrometheusScrapingEndpoint(MetricsPath)
            .RequireAccess(ApiAccess.Admin)
            .WithTags("Operations")
            .ExcludeFromDescription();
        return app;
    }

    /// <summary>The Orleans dashboard's pages and API on <c>/dashboard</c>, admin-only (it has no authentication of its own).</summary>
    public static IEndpointRouteBuilder MapDashboard(this IEndpointRouteBuilder app, ObservabilityOptions options)
    {
        if (options.DashboardEnabled)
        {
            app.MapOrleansDashboard(ObservabilityOptions.DashboardPath)
                .RequireAccess(ApiAccess.Admin)
                .ExcludeFromDescription();
        }

        return app;
    }

    private static bool IsUntraced(PathString path)
    {
        foreach (var prefix in UntracedPaths)
        {
            if (path.StartsWithSegments(prefix, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
