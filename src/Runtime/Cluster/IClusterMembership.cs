namespace Personalization.Runtime.Cluster;

/// <summary>The silos currently in the cluster, as "host:port" strings, sorted ordinally.</summary>
public interface IClusterMembership
{
    IReadOnlyList<string> Members { get; }

    /// <summary>Raised after <see cref="Members"/> changed.</summary>
    event Action<IReadOnlyList<string>>? Changed;
}
