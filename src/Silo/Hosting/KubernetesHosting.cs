using System.Net;
using Orleans.Hosting.Kubernetes;

namespace Personalization.Silo.Hosting;

/// <summary>
/// Orleans' Kubernetes hosting (`UseKubernetesHosting()`, package Microsoft.Orleans.Hosting.Kubernetes), on only when
/// the pod's downward-API values `POD_NAME` and `POD_NAMESPACE` are both set; `dotnet run` and tests never see it.
/// </summary>
/// <remarks>
/// What the package does, and how it is kept from disagreeing with <see cref="ClusterSettings"/>:
/// <list type="bullet">
/// <item>`ORLEANS_SERVICE_ID` / `ORLEANS_CLUSTER_ID`, read from the process environment, override ClusterOptions after
/// our `Cluster__ServiceId` / `Cluster__ClusterId`: when set they must equal ours, else start-up stops with one line.</item>
/// <item>`POD_IP` becomes the advertised address only when none is configured, and ours always is
/// (`Cluster__AdvertisedIP`, else `POD_IP`, else loopback): a pod without either would advertise loopback, so that
/// stops start-up too. Listening endpoints and the ports stay ours (`Cluster__SiloPort`, `Cluster__GatewayPort`: the
/// package only fills endpoints that are unset, from the same ports).</item>
/// <item>SiloName becomes the pod name; at start (stage AfterRuntimeGrainServices) the silo labels its own pod
/// `orleans/serviceId` / `orleans/clusterId`, declares dead every Active membership row without a pod carrying those
/// labels, and two silos then watch pod deletions (RBAC on pods: get, list, watch, patch).</item>
/// </list>
/// The package reads `POD_NAME` / `POD_NAMESPACE` from the environment (the manifests set them there); the decision
/// here reads configuration, which includes the environment.
/// </remarks>
internal sealed class KubernetesHosting
{
    public const string PodNameVariable = KubernetesHostingOptions.PodNameEnvironmentVariable;
    public const string PodNamespaceVariable = KubernetesHostingOptions.PodNamespaceEnvironmentVariable;
    public const string ServiceIdVariable = KubernetesHostingOptions.ServiceIdEnvironmentVariable;
    public const string ClusterIdVariable = KubernetesHostingOptions.ClusterIdEnvironmentVariable;

    private KubernetesHosting(string podName, string podNamespace)
    {
        PodName = podName;
        PodNamespace = podNamespace;
    }

    public string PodName { get; }

    public string PodNamespace { get; }

    /// <summary>
    /// The hosting to register, or null off Kubernetes. Throws <see cref="SiloConfigurationException"/> when the package
    /// would run the silo with other ids or another address than <paramref name="cluster"/>.
    /// </summary>
    /// <param name="environment">The process environment the package reads (a test passes its own).</param>
    public static KubernetesHosting? From(IConfiguration configuration, ClusterSettings cluster, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        var podName = configuration[PodNameVariable];
        var podNamespace = configuration[PodNamespaceVariable];
        if (string.IsNullOrWhiteSpace(podName) || string.IsNullOrWhiteSpace(podNamespace))
        {
            return null;
        }

        RequireSame(ServiceIdVariable, "Cluster__ServiceId", cluster.ServiceId, configuration, environment);
        RequireSame(ClusterIdVariable, "Cluster__ClusterId", cluster.ClusterId, configuration, environment);
        if (IPAddress.IsLoopback(cluster.AdvertisedIP))
        {
            throw new SiloConfigurationException(
                $"{PodNameVariable} and {PodNamespaceVariable} are set (Kubernetes hosting) but the silo would advertise {cluster.AdvertisedIP}: set POD_IP from status.podIP (or Cluster__AdvertisedIP).");
        }

        return new KubernetesHosting(podName.Trim(), podNamespace.Trim());
    }

    private static void RequireSame(string variable, string setting, string ours, IConfiguration configuration, Func<string, string?> environment)
    {
        // The package applies the environment variable as is when it is not blank; configuration may carry it too.
        foreach (var value in new[] { environment(variable), configuration[variable] })
        {
            if (!string.IsNullOrWhiteSpace(value) && !string.Equals(value, ours, StringComparison.Ordinal))
            {
                throw new SiloConfigurationException(
                    $"{variable}='{value}' disagrees with {setting}='{ours}': Orleans' Kubernetes hosting would use {variable}; set both to the same value (the manifests derive both from the pod label).");
            }
        }
    }
}

internal static class KubernetesHostingSiloBuilderExtensions
{
    /// <summary>Registers Orleans' Kubernetes hosting when <paramref name="hosting"/> is set (see <see cref="KubernetesHosting.From"/>).</summary>
    public static ISiloBuilder UsePersonalizationKubernetesHosting(this ISiloBuilder silo, KubernetesHosting? hosting) =>
        hosting is null ? silo : silo.UseKubernetesHosting();
}
