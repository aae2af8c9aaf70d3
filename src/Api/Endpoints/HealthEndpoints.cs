using Microsoft.Extensions.Hosting;
using Orleans.Runtime;
using Personalization.Api.Auth;
using Personalization.Grains.Catalog;
using Personalization.Grains.Configuration;
using Personalization.Grains.Hosting;

namespace Personalization.Api.Endpoints;

/// <summary>
/// Liveness (local only: a GC pause or a membership-table outage must not fail it), readiness (this silo Active in
/// cluster membership, configuration and data loaded, not shutting down) and the configuration status operators look
/// at after a deploy.
/// </summary>
internal static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health", () => TypedResults.Ok(new HealthStatus("ok"))).WithTags("Operations").AllowAnonymous();
        app.MapGet("/ready", Ready).WithTags("Operations").AllowAnonymous();
        app.MapGet("/admin/config", ConfigStatus).WithTags("Operations").RequireAccess(ApiAccess.Admin);
        return app;
    }

    private static IResult Ready(ConfigurationStore configuration, NamespaceDataService data, IClusterMembershipService membership, ILocalSiloDetails silo, IHostApplicationLifetime lifetime)
    {
        var siloStatus = membership.CurrentSnapshot.GetSiloStatus(silo.SiloAddress);
        var stopping = lifetime.ApplicationStopping.IsCancellationRequested;
        var status = new ReadyStatus(
            SiloStatus: stopping ? "ShuttingDown" : siloStatus.ToString(),
            ConfigurationLoaded: configuration.IsReady,
            DataLoaded: data.IsReady,
            ConfigVersion: configuration.Current?.Version,
            Problem: stopping ? "the silo is shutting down"
                : siloStatus != SiloStatus.Active ? $"the silo is {siloStatus} in cluster membership, not Active"
                : !configuration.IsReady ? configuration.LastRejection?.Errors.FirstOrDefault()?.ToString() ?? "no configuration loaded yet"
                : data.LastError);
        return !stopping && siloStatus == SiloStatus.Active && status.ConfigurationLoaded && status.DataLoaded
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

internal sealed record ReadyStatus(string SiloStatus, bool ConfigurationLoaded, bool DataLoaded, string? ConfigVersion, string? Problem);

internal sealed record ConfigStatusReport(string? Version, string? ContentHash, ConfigActivationReport? LastActivation, ConfigRejectionReport? LastRejection, CatalogReport[] Catalogs);

internal sealed record ConfigActivationReport(DateTimeOffset At, string Origin, string[] Warnings);

/// <summary><see cref="Current"/> tells whether the rejection is newer than the live document (the last deploy failed).</summary>
internal sealed record ConfigRejectionReport(DateTimeOffset At, string Origin, string[] Errors, bool Current);

internal sealed record CatalogReport(string Namespace, int Items, int RejectedLines, string Path, DateTime LastWriteUtc);
