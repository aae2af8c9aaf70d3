using Microsoft.Extensions.Configuration;

namespace Personalization.Api.Observability;

/// <summary>
/// What the silo's OpenTelemetry set-up records and exports. Traces are exported over OTLP when the standard
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> (or <c>OTEL_EXPORTER_OTLP_TRACES_ENDPOINT</c>) is set; without an exporter no span
/// is recorded at all, so the cache-hit path pays nothing for tracing. The exporter itself reads the other standard
/// variables (<c>OTEL_EXPORTER_OTLP_PROTOCOL</c>, <c>_HEADERS</c>, <c>OTEL_SERVICE_NAME</c>, <c>OTEL_RESOURCE_ATTRIBUTES</c>).
/// The Orleans dashboard is served on <c>/dashboard</c> when <c>Dashboard:Enabled</c> (default: on in the Development
/// environment only; it profiles every grain call and polls membership while a page is open).
/// </summary>
public sealed class ObservabilityOptions
{
    public const string DefaultServiceName = "personalization";

    /// <summary>`OTEL_SERVICE_NAME`, else <see cref="DefaultServiceName"/>: the resource's service.name on metrics and traces.</summary>
    public string ServiceName { get; init; } = DefaultServiceName;

    /// <summary>Spans are recorded and exported over OTLP.</summary>
    public bool TracesEnabled { get; init; }

    /// <summary>
    /// `Telemetry:IncludeUserIds`: keep user ids (grain keys, request paths, backend URLs) in span attributes. Off by
    /// default: they are personal data.
    /// </summary>
    public bool IncludeUserIds { get; init; }

    /// <summary>`Dashboard:Enabled`: the Orleans dashboard on <c>/dashboard</c> (admin-only when authentication is on).</summary>
    public bool DashboardEnabled { get; init; }

    public const string DashboardPath = "/dashboard";

    /// <summary>Reads the settings; a value that is not true or false is a start-up error naming the setting.</summary>
    public static ObservabilityOptions Read(IConfiguration configuration, bool development) => new()
    {
        ServiceName = configuration["OTEL_SERVICE_NAME"] is { Length: > 0 } name ? name : DefaultServiceName,
        TracesEnabled = !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"])
            || !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"]),
        IncludeUserIds = Flag(configuration, "Telemetry:IncludeUserIds") ?? false,
        DashboardEnabled = Flag(configuration, "Dashboard:Enabled") ?? development,
    };

    private static bool? Flag(IConfiguration configuration, string key) => configuration[key] switch
    {
        null or "" => null,
        var value when bool.TryParse(value, out var flag) => flag,
        var value => throw new FormatException($"{key.Replace(":", "__", StringComparison.Ordinal)} must be true or false, not '{value}'."),
    };
}
