namespace Personalization.Grains.Experiments;

/// <summary>The precomputed seeds of one layer: its members are identified by their salts.</summary>
internal sealed class CompiledLayer
{
    private const ulong LayerDomain = 0x6C617965725F7631; // "layer_v1": keeps layer hashes apart from experiment hashes

    public CompiledLayer(string name, IReadOnlyList<ExperimentDefinition> members)
    {
        Name = name;
        Seed = StableHash.Hash(name, LayerDomain);
        MemberSeeds = members.Select(member => StableHash.Hash(member.Salt, Seed)).ToArray();
        MemberWeights = members.Select(member => member.LayerWeight).ToArray();
    }

    public string Name { get; }

    public ulong Seed { get; }

    public ulong[] MemberSeeds { get; }

    public double[] MemberWeights { get; }

    public int SlotOf(string userId) => WeightedRendezvous.Pick(StableHash.Hash(userId, Seed), MemberSeeds, MemberWeights);
}
