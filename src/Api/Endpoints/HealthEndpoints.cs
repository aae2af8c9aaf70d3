using System.Text.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Orleans.Runtime;
using Personalization.Api.Auth;
using Personalization.Grains.Catalog;
using Personalization.Grains.Configuration;
using Personalization.Grains.Hosting;

namespace Personalization.Api.Endpoints;

/// <summary>
/// Probes on ASP.NET Core's health-check framework. Liveness (<c>/health</c>, <c>/health/live</c>) is local only: a GC
/// pause or a membership-table outage must not fail it. Readiness (<c>/ready</c>, <c>/health/ready</c>): this silo Active
/// in cluster membership, configuration and catalogs loaded, not shutting down. Startup (<c>/health/startup</c>): the
/// same without the shutdown check. Anyone gets the status as plain text and its code (200/503); the JSON detail is
/// for admin callers (everyone while authentication is off).
/// </summary>
internal static class HealthEndpoints
{
    internal const string Live = "live";
    internal const string Ready = "ready";
    internal const string Startup = "startup";

    public static IServiceCollection AddPersonalizationHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck("process", () => HealthCheckResult.Healthy("the process answers"), [Live])
            .AddCheck<MembershipHealthCheck>("membership", tags: [Ready, Startup])
            .AddCheck<ConfigurationHealthCheck>("configuration", tags: [Ready, Startup])
            .AddCheck<CatalogsHealthCheck>("catalogs", tags: [Ready, Startup])
            .AddCheck<ShutdownHealthCheck>("shutdown", tags: [Ready]);
        return services;
    }

    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        MapProbe(app, "/health", Live);
        MapProbe(app, "/health/live", Live);
        MapProbe(app, "/ready", Ready);
        MapProbe(app, "/health/ready", Ready);
        MapProbe(app, "/health/startup", Startup);
        app.MapGet("/admin/config", ConfigStatus).WithTags("Operations").RequireAccess(ApiAccess.Admin);
        return app;
    }

    private static void MapProbe(IEndpointRouteBuilder app, string path, string tag) =>
        app.MapHealthChecks(path, new HealthCheckOptions { Predicate = check => check.Tags.Contains(tag), ResponseWriter = WriteAsync })
            .WithTags("Operations")
            .AllowAnonymous();

    /// <summary>
    /// Plain status for probes and anonymous callers; for admins a JSON object: the overall status, the fields
    /// operators read first (silo status, what is loaded, the configuration version, the first problem) and every check.
    /// </summary>
    private static async Task WriteAsync(HttpContext context, HealthReport report)
    {
        var authorization = context.RequestServices.GetRequiredService<IAuthorizationService>();
        var admin = await authorization.AuthorizeAsync(context.User, context, AccessPolicies.PolicyName(ApiAccess.Admin));
        context.Response.Headers.CacheControl = "no-store";
        if (!admin.Succeeded)
        {
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync(report.Status.ToString(), context.RequestAborted);
            return;
        }

        context.Response.ContentType = "application/json; charset=utf-8";
        await using var json = new Utf8JsonWriter(context.Response.Body);
        json.WriteStartObject();
        json.WriteString("status", report.Status.ToString());
        // Later checks win a shared key: "shutdown" (last) reports siloStatus ShuttingDown over membership's Active.
        var fields = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var entry in report.Entries.Values)
        {
            foreach (var (key, value) in entry.Data)
            {
                fields[key] = value;
            }
        }

        foreach (var (key, value) in fields)
        {
            WriteValue(json, key, value);
        }

        var problem = report.Entries.Values.FirstOrDefault(e => e.Status != HealthStatus.Healthy).Description;
        if (problem is not null)
        {
            json.WriteString("problem", problem);
        }

        json.WriteStartObject("checks");
        foreach (var (name, entry) in report.Entries)
        {
            json.WriteStartObject(name);
            json.WriteString("status", entry.Status.ToString());
            json.WriteString("description", entry.Description);
            json.WriteNumber("durationMs", Math.Round(entry.Duration.TotalMilliseconds, 3));
            json.WriteEndObject();
        }

        json.WriteEndObject();
        json.WriteEndObject();
        await json.FlushAsync(context.RequestAborted);
    }

    private static void WriteValue(Utf8JsonWriter json, string key, object? value)
    {
        switch (value)
        {
            case bool flag:
                json.WriteBoolean(key, flag);
                break;
            case null:
                json.WriteNull(key);
                break;
            default:
                json.WriteString(key, value.ToString());
                break;
        }
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

/// <summary>This silo is Active in its own view of cluster membership (joining, shutting down or declared dead is not ready).</summary>
internal sealed class MembershipHealthCheck(IClusterMembershipService membership, ILocalSiloDetails silo) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var status = membership.CurrentSnapshot.GetSiloStatus(silo.SiloAddress);
        var data = new Dictionary<string, object> { ["siloStatus"] = status.ToString() };
        return Task.FromResult(status == SiloStatus.Active
            ? HealthCheckResult.Healthy("the silo is Active in cluster membership", data)
            : HealthCheckResult.Unhealthy($"the silo is {status} in cluster membership, not Active", data: data));
    }
}

/// <summary>A configuration document is live (the first load succeeded).</summary>
internal sealed class ConfigurationHealthCheck(ConfigurationStore configuration) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var data = new Dictionary<string, object> { ["configurationLoaded"] = configuration.IsReady };
        if (configuration.Current?.Version is { } version)
        {
            data["configVersion"] = version;
        }

        return Task.FromResult(configuration.IsReady
            ? HealthCheckResult.Healthy("configuration loaded", data)
            : HealthCheckResult.Unhealthy(configuration.LastRejection?.Errors.FirstOrDefault()?.ToString() ?? "no configuration loaded yet", data: data));
    }
}

/// <summary>The catalogs and built-in models of the live configuration are loaded.</summary>
internal sealed class CatalogsHealthCheck(NamespaceDataService data) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var values = new Dictionary<string, object> { ["dataLoaded"] = data.IsReady };
        return Task.FromResult(data.IsReady
            ? HealthCheckResult.Healthy("catalogs and models loaded", values)
            : HealthCheckResult.Unhealthy(data.LastError ?? "catalogs and models not loaded yet", data: values));
    }
}

/// <summary>Unhealthy from the moment shutdown starts, so the load balancer stops sending before the silo leaves.</summary>
internal sealed class ShutdownHealthCheck(IHostApplicationLifetime lifetime) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(lifetime.ApplicationStopping.IsCancellationRequested
            ? HealthCheckResult.Unhealthy("the silo is shutting down", data: new Dictionary<string, object> { ["siloStatus"] = "ShuttingDown" })
            : HealthCheckResult.Healthy("running"));
}

internal sealed record ConfigStatusReport(string? Version, string? ContentHash, ConfigActivationReport? LastActivation, ConfigRejectionReport? LastRejection, CatalogReport[] Catalogs);

internal sealed record ConfigActivationReport(DateTimeOffset At, string Origin, string[] Warnings);

/// <summary><see cref="Current"/> tells whether the rejection is newer than the live document (the last deploy failed).</summary>
internal sealed record ConfigRejectionReport(DateTimeOffset At, string Origin, string[] Errors, bool Current);

internal sealed record CatalogReport(string Namespace, int Items, int RejectedLines, string Path, DateTime LastWriteUtc);
