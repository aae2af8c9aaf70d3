namespace Personalization.Grains.Recommenders.Resilience;

/// <summary>How many silos share a backend's quota right now (each silo guards its share).</summary>
public interface ILiveSilos
{
    int Count { get; }
}

/// <summary>Active silos from Orleans membership, recounted only when the membership snapshot changes.</summary>
public sealed class MembershipLiveSilos(IClusterMembershipService membership) : ILiveSilos
{
    // One reference, swapped whole: readers on other threads never see a version with another version's count.
    private Counted _last = new(MembershipVersion.MinValue, 1);

    public int Count
    {
        get
        {
            var snapshot = membership.CurrentSnapshot;
            var last = _last;
            if (snapshot.Version == last.Version)
            {
                return last.Count;
            }

            var active = 0;
            foreach (var member in snapshot.Members.Values)
            {
                active += member.Status == SiloStatus.Active ? 1 : 0;
            }

            // A silo that has not joined yet still serves: it counts itself.
            var counted = new Counted(snapshot.Version, Math.Max(1, active));
            _last = counted;
            return counted.Count;
        }
    }

    private sealed record Counted(MembershipVersion Version, int Count);
}

/// <summary>One silo, for hosts and tests without a cluster.</summary>
public sealed class SingleSilo : ILiveSilos
{
    public static readonly SingleSilo Instance = new();

    public int Count => 1;
}
