using Personalization.Runtime.Cluster;

namespace Personalization.Silo.Hosting;

/// <summary>
/// Cluster membership from configuration: `Cluster:Membership` = `none` (default, a single silo), `static`
/// (`Cluster:Members`, comma-separated host:port) or `dns` (the A records of a Kubernetes headless Service,
/// `Cluster:DnsName`, `Cluster:Port`). `Cluster:Self` is this silo's host:port (default `$POD_IP:port`).
/// </summary>
internal static class ClusterRegistration
{
    public static void AddClusterMembership(this IServiceCollection services, IConfiguration configuration)
    {
        var mode = configuration["Cluster:Membership"] ?? "none";
        var port = int.TryParse(configuration["Cluster:Port"], out var configuredPort) ? configuredPort : 8080;
        var self = configuration["Cluster:Self"] ?? (configuration["POD_IP"] is { Length: > 0 } podIp ? $"{podIp}:{port}" : null);
        switch (mode.ToLowerInvariant())
        {
            case "none":
                return;
            case "static":
                var members = (configuration["Cluster:Members"] ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
                services.AddSingleton<IClusterMembership>(new StaticClusterMembership(members));
                break;
            case "dns":
                var dns = new DnsClusterMembershipOptions { ServiceName = configuration["Cluster:DnsName"] ?? string.Empty, Port = port };
                services.AddSingleton(sp => new DnsClusterMembership(dns, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<DnsClusterMembership>>()));
                services.AddSingleton<IClusterMembership>(sp => sp.GetRequiredService<DnsClusterMembership>());
                services.AddHostedService(sp => sp.GetRequiredService<DnsClusterMembership>());
                break;
            default:
                throw new InvalidOperationException($"Cluster:Membership must be none, static or dns, not '{mode}'.");
        }

        if (self is null)
        {
            throw new InvalidOperationException("Cluster:Self (this silo's host:port as the other members know it) is required with cluster membership; on Kubernetes set POD_IP.");
        }

        services.AddSingleton(sp => new ClusterOwnership(sp.GetRequiredService<IClusterMembership>(), self));
    }
}
