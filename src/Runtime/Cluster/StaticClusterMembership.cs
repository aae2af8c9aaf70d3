namespace Personalization.Runtime.Cluster;

/// <summary>A fixed member list (configuration, tests, a single silo).</summary>
public sealed class StaticClusterMembership : IClusterMembership
{
    public StaticClusterMembership(IEnumerable<string> members)
    {
        ArgumentNullException.ThrowIfNull(members);
        Members = ClusterMembers.Normalize(members);
        if (Members.Count == 0)
        {
            throw new ArgumentException("A cluster needs at least one member.", nameof(members));
        }
    }

    public IReadOnlyList<string> Members { get; }

    public event Action<IReadOnlyList<string>>? Changed
    {
        add { }
        remove { }
    }
}
