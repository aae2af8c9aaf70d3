namespace Personalization.Runtime.Cluster;

public sealed class DnsClusterMembershipOptions
{
    /// <summary>The Kubernetes headless Service name whose A records are the silo pods, e.g. "personalization-silo.default.svc.cluster.local".</summary>
    public string ServiceName { get; set; } = string.Empty;

    /// <summary>The silo port appended to each address.</summary>
    public int Port { get; set; } = 8080;

    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromSeconds(10);

    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(ServiceName))
        {
            throw new ArgumentException("DnsClusterMembershipOptions.ServiceName is required (the headless Service's DNS name).");
        }

        if (Port is < 1 or > 65535)
        {
            throw new ArgumentOutOfRangeException(nameof(Port), Port, "must be 1-65535");
        }

        if (RefreshInterval <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(RefreshInterval), RefreshInterval, "must be positive");
        }
    }
}
