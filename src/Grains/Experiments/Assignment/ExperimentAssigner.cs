namespace Personalization.Grains.Experiments;

/// <summary>
/// Deterministic experiment assignment for one set of experiments (typically one namespace: layers are shared
/// within the set). The result depends only on the definitions, the user id and the clock, never on the process,
/// so every silo and every restart agrees. Build one per config snapshot; <see cref="Assign"/> is thread-safe and
/// allocation-free.
/// </summary>
public sealed class ExperimentAssigner
{
    private readonly Dictionary<ExperimentDefinition, CompiledExperiment> _experiments =
        new(ReferenceEqualityComparer.Instance);

    private readonly TimeProvider _timeProvider;

    /// <exception cref="ArgumentException">The set is inconsistent; <see cref="Validate"/> lists why.</exception>
    public ExperimentAssigner(IEnumerable<ExperimentDefinition> experiments, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(experiments);
        _timeProvider = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        var definitions = experiments.Distinct(ReferenceEqualityComparer.Instance).Cast<ExperimentDefinition>().ToList();
        var errors = Validate(definitions);
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join(Environment.NewLine, errors), nameof(experiments));
        }

        foreach (var layerMembers in definitions.Where(d => d.Layer is not null).GroupBy(d => d.Layer!, StringComparer.Ordinal))
        {
            var members = layerMembers.ToList();
            var layer = new CompiledLayer(layerMembers.Key, members);
            for (var slot = 0; slot < members.Count; slot++)
            {
                _experiments[members[slot]] = new CompiledExperiment(members[slot], layer, slot);
            }
        }

        foreach (var definition in definitions.Where(d => d.Layer is null))
        {
            _experiments[definition] = new CompiledExperiment(definition, null, -1);
        }
    }

    /// <summary>
    /// Checks what a single definition cannot: that experiments sharing a layer have distinct salts (the salt
    /// identifies the layer slot), plus the invariants <see cref="ExperimentDefinition.FromJson"/> guarantees, for
    /// definitions built in code. Returns no errors when the set is usable.
    /// </summary>
    public static IReadOnlyList<string> Validate(IEnumerable<ExperimentDefinition> experiments)
    {
        var errors = new List<string>();
        var list = experiments.ToList();
        foreach (var definition in list)
        {
            var name = $"experiment '{definition.Feature}'";
            if (definition.Arms.Count == 0 || !definition.Arms.Any(arm => arm.Weight > 0))
            {
                errors.Add($"{name}: needs at least one arm with a weight > 0");
            }

            if (definition.Arms.Any(arm => !double.IsFinite(arm.Weight) || arm.Weight < 0))
            {
                errors.Add($"{name}: arm weights must be finite and ≥ 0");
            }

            if (!definition.Arms.Any(arm => arm.VariationKey == definition.Control))
            {
                errors.Add($"{name}: control '{definition.Control}' is not one of its arms");
            }

            if (!(definition.Holdout >= 0 && definition.Holdout <= 1))
            {
                errors.Add($"{name}: holdout must be from 0 to 1");
            }

            if (!(double.IsFinite(definition.LayerWeight) && definition.LayerWeight > 0))
            {
                errors.Add($"{name}: layerWeight must be finite and > 0");
            }
        }

        foreach (var layer in list.Where(d => d.Layer is not null).GroupBy(d => d.Layer!, StringComparer.Ordinal))
        {
            foreach (var sameSalt in layer.GroupBy(d => d.Salt, StringComparer.Ordinal).Where(g => g.Count() > 1))
            {
                errors.Add($"layer '{layer.Key}': experiments {string.Join(", ", sameSalt.Select(d => $"'{d.Feature}'"))} share the salt '{sameSalt.Key}'; give each a distinct salt");
            }
        }

        return errors;
    }

    /// <summary>The variation to serve <paramref name="userId"/> for <paramref name="experiment"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="experiment"/> was not given to this assigner.</exception>
    public Assignment Assign(ExperimentDefinition experiment, string? userId)
    {
        if (!_experiments.TryGetValue(experiment, out var compiled))
        {
            throw new ArgumentException($"Experiment '{experiment.Feature}' is not part of this assigner's config snapshot.", nameof(experiment));
        }

        if (compiled.IsTrivial)
        {
            return Assignment.NoExperiment(experiment.DefaultVariation);
        }

        if (string.IsNullOrEmpty(userId))
        {
            return new Assignment(experiment.DefaultVariation, false, AssignmentReason.NoUser);
        }

        if (experiment.Overrides.Count > 0 && experiment.Overrides.TryGetValue(userId, out var forced))
        {
            return new Assignment(forced, false, AssignmentReason.Override);
        }

        if (!IsRunning(experiment, _timeProvider.GetUtcNow()))
        {
            return new Assignment(experiment.DefaultVariation, false, AssignmentReason.NotRunning);
        }

        // Layer slots stay reserved while a member is outside its dates, so other experiments never gain its users mid-run.
        if (compiled.Layer is { } layer && layer.SlotOf(userId) != compiled.LayerSlot)
        {
            return new Assignment(experiment.DefaultVariation, false, AssignmentReason.NotInLayerSlot);
        }

        var userHash = StableHash.Hash(userId, compiled.UserSeed);
        if (experiment.Holdout > 0
            && StableHash.ToUnitInterval(StableHash.Hash(userHash, compiled.HoldoutSeed)) <= experiment.Holdout)
        {
            return new Assignment(experiment.Control, false, AssignmentReason.Holdout);
        }

        var arm = WeightedRendezvous.Pick(userHash, compiled.ArmSeeds, compiled.ArmWeights);
        return new Assignment(compiled.ArmKeys[arm], true, AssignmentReason.ExperimentRuleMatch);
    }

    private static bool IsRunning(ExperimentDefinition experiment, DateTimeOffset now) =>
        (experiment.Start is not { } start || now >= start) && (experiment.End is not { } end || now < end);
}
