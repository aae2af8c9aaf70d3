namespace Personalization.Runtime.Cluster;

/// <summary>
/// Which member owns a grain key: rendezvous (highest-random-weight) hashing, so a membership change moves only
/// the keys of the members that left or to the members that joined.
/// </summary>
public sealed class ClusterOwnership
{
    private readonly IClusterMembership _membership;
    private Weighted[] _members = [];
    public ClusterOwnership(IClusterMembership membership, string self)
    {
        ArgumentNullException.ThrowIfNull(membership);
        ArgumentException.ThrowIfNullOrWhiteSpace(self);
        _membership = membership;
        Self = self;
        Update(membership.Members);
        membership.Changed += Update;
    }
    /// <summary>This silo's member name.</summary>
    public string Self { get; }
    public IReadOnlyList<string> Members => _membership.Members;
    public string OwnerOf(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var members = Volatile.Read(ref _members);
        if (members.Length == 0)
        {
            throw new InvalidOperationException("The cluster has no members yet.");
        }
        var keyHash = Hash(key, 0xcbf29ce484222325UL);
        var best = members[0];
        var bestScore = Mix(best.Seed ^ keyHash);
        for (var i = 1; i < members.Length; i++)
        {
            var score = Mix(members[i].Seed ^ keyHash);
            if (score > bestScore)
            {
                (best, bestScore) = (members[i], score);
            }
        }
        return best.Name;
    }
    public bool IsLocal(string key) => string.Equals(OwnerOf(key), Self, StringComparison.Ordinal);
    private void Update(IReadOnlyList<string> members) =>
        Volatile.Write(ref _members, members.Select(m => new Weighted(m, Mix(Hash(m, 0x9e3779b97f4a7c15UL)))).ToArray());
    /// <summary>FNV-1a over the UTF-16 code units: stable across processes and platforms (unlike string.GetHashCode).</summary>
    private static ulong Hash(string value, ulong seed)
    {
        var hash = seed;
        foreach (var c in value)
        {
            hash = (hash ^ (byte)c) * 0x100000001b3UL;
            hash = (hash ^ (byte)(c >> 8)) * 0x100000001b3UL;
        }
        return hash;
    }
    /// <summary>SplitMix64 finalizer: spreads FNV's weak low bits so scores are independent per member.</summary>
    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9UL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebUL;
        return z ^ (z >> 31);
    }
    private readonly record struct Weighted(string Name, ulong Seed);
}
