using Personalization.Grains.Catalog;
using Personalization.Grains.Configuration;
using Personalization.Grains.Hosting;

namespace Personalization.Api.Endpoints;

/// <summary>Liveness, readiness (config and data loaded) and the configuration status operators look at after a deploy.</summary>
internal static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health", () => TypedResults.Ok(new HealthStatus("ok"))).WithTags("Operations");
        app.MapGet("/ready", Ready).WithTags("Operations");
        app.MapGet("/admin/config", ConfigStatus).WithTags("Operations");
        return app;
    }

    private static IResult Ready(ConfigurationStore configuration, NamespaceDataService data)
    {
        var status = new ReadyStatus(
            ConfigurationLoaded: configuration.IsReady,
            DataLoaded: data.IsReady,
            ConfigVersion: configuration.Current?.Version,
            Problem: !configuration.IsReady ? configuration.LastRejection?.Errors.FirstOrDefault()?.ToString() ?? "no configuration loaded yet" : data.LastError);
        return status.ConfigurationLoaded && status.DataLoaded
            ? TypedResults.Ok(status)
            : TypedResults.Json(status, statusCode: StatusCodes.Status503ServiceUnavailable);
    }

    private static ConfigStatusReport ConfigStatus(ConfigurationStore configuration, CatalogStore catalogs)
    {
        var activation = configuration.LastActivation;
        var rejection = configuration.LastRejection;
        return new ConfigStatusReport(
            configuration.Current?.Version,
            configuration.Current?.ContentHash,
            activation is null ? null : new ConfigActivationReport(activation.At, activation.Origin, activation.Warnings.Select(w => w.ToString()).ToArray()),
            rejection is null ? null : new ConfigRejectionReport(rejection.At, rejection.Origin, rejection.Errors.Select(e => e.ToString()).ToArray(), Current: activation is null || rejection.At >= activation.At),
            catalogs.All.Select(c => new CatalogReport(c.Namespace, c.Items.Count, c.RejectedLines, c.Stamp.Path, c.Stamp.LastWriteUtc)).ToArray());
    }
}

internal sealed record HealthStatus(string Status);

internal sealed record ReadyStatus(bool ConfigurationLoaded, bool DataLoaded, string? ConfigVersion, string? Problem);

internal sealed record ConfigStatusReport(string? Version, string? ContentHash, ConfigActivationReport? LastActivation, ConfigRejectionReport? LastRejection, CatalogReport[] Catalogs);

internal sealed record ConfigActivationReport(DateTimeOffset At, string Origin, string[] Warnings);

/// <summary><see cref="Current"/> tells whether the rejection is newer than the live document (the last deploy failed).</summary>
internal sealed record ConfigRejectionReport(DateTimeOffset At, string Origin, string[] Errors, bool Current);

internal sealed record CatalogReport(string Namespace, int Items, int RejectedLines, string Path, DateTime LastWriteUtc);
