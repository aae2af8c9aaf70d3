namespace Personalization.Grains.Experiments;

/// <summary>Everything about one experiment that does not depend on the user, computed once per config.</summary>
internal sealed class CompiledExperiment
{
    private const ulong SaltDomain = 0x61726D735F763100; // "arms_v1": versioned so a future scheme cannot collide

    public CompiledExperiment(ExperimentDefinition definition, CompiledLayer? layer, int layerSlot)
    {
        Definition = definition;
        Layer = layer;
        LayerSlot = layerSlot;
        UserSeed = StableHash.Hash(definition.Salt, SaltDomain);
        HoldoutSeed = StableHash.Hash("holdout", UserSeed);
        ArmKeys = definition.Arms.Select(arm => arm.VariationKey).ToArray();
        ArmSeeds = definition.Arms.Select(arm => StableHash.Hash(arm.VariationKey, UserSeed)).ToArray();
        ArmWeights = definition.Arms.Select(arm => arm.Weight).ToArray();

        // The original served the first variation without asking Evidently when a recommender had only one.
        IsTrivial = definition.Method == ExperimentMethod.Evidently && definition.Arms.Count < 2;
    }

    public ExperimentDefinition Definition { get; }

    public CompiledLayer? Layer { get; }

    public int LayerSlot { get; }

    public ulong UserSeed { get; }

    public ulong HoldoutSeed { get; }

    public string[] ArmKeys { get; }

    public ulong[] ArmSeeds { get; }

    public double[] ArmWeights { get; }

    public bool IsTrivial { get; }
}
