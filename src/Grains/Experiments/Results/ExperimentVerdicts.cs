namespace Personalization.Grains.Experiments;

/// <summary>
/// Turns a report's arms into a plain-words verdict, from the report's own numbers (its p-values and rates): nothing
/// is recomputed. Rules: <see cref="VerdictRules"/>. Compared with the control are the configured arms that have a
/// weight or have exposures; arms no longer configured are shown in the report but never judged.
/// </summary>
public static class ExperimentVerdicts
{
    public static ExperimentVerdict Decide(string controlKey, IReadOnlyList<ArmReport> arms)
    {
        ArgumentNullException.ThrowIfNull(arms);
        var control = arms.FirstOrDefault(arm => arm.IsControl);
        var compared = arms.Where(arm => arm.IsArm && !arm.IsControl && (arm.Weight > 0 || arm.UsersExposed > 0)).ToList();
        if (control is null || compared.Count == 0)
        {
            return new ExperimentVerdict(VerdictOutcome.NotEnoughData, null, $"Nothing to compare: the experiment has no arm besides control {controlKey}.");
        }

        var shortfalls = new List<string>();
        foreach (var arm in compared.Prepend(control).Where(arm => Exposed(arm) < VerdictRules.MinimumUsersPerArm))
        {
            shortfalls.Add($"{arm.Variation} has {Exposed(arm)} exposed users of the {VerdictRules.MinimumUsersPerArm} each arm needs");
        }

        foreach (var arm in compared)
        {
            var together = Converted(control) + Converted(arm);
            if (together < VerdictRules.MinimumConversionsPerComparison)
            {
                shortfalls.Add($"{control.Variation} and {arm.Variation} have {together} conversions together of the {VerdictRules.MinimumConversionsPerComparison} a comparison needs");
            }
        }

        if (shortfalls.Count > 0)
        {
            return new ExperimentVerdict(VerdictOutcome.NotEnoughData, null, "Not enough data yet: " + string.Join("; ", shortfalls) + ".");
        }

        // Past the minimum sample every compared arm and the control have exposures, so rates and p-values are defined.
        var level = VerdictRules.SignificanceLevel / compared.Count;
        var controlRate = control.ConversionRate!.Value;
        var significant = compared.Where(arm => arm.PValue!.Value < level).ToList();
        var better = significant.Where(arm => arm.ConversionRate!.Value > controlRate).OrderByDescending(arm => arm.ConversionRate).ToList();
        if (better.Count > 0)
        {
            var best = better[0];
            return new ExperimentVerdict(
                VerdictOutcome.ArmBetter,
                best.Variation,
                $"{best.Variation} better: it converts {ReportFormat.Percent(best.ConversionRate!.Value)} of exposed users against "
                + $"{ReportFormat.Percent(controlRate)} for control {control.Variation} (lift {Lift(best)}, {ReportFormat.PValueClause(best.PValue!.Value)}; {Level(level, compared.Count)})"
                + (better.Count > 1 ? $"; also better than the control: {string.Join(", ", better.Skip(1).Select(arm => arm.Variation))}." : "."));
        }

        var worse = significant.Where(arm => arm.ConversionRate!.Value < controlRate).ToList();
        if (worse.Count == compared.Count)
        {
            return new ExperimentVerdict(
                VerdictOutcome.ArmBetter,
                control.Variation,
                $"{control.Variation} (the control) better: it converts {ReportFormat.Percent(controlRate)} of exposed users against "
                + string.Join(", ", worse.Select(arm => $"{arm.Variation} {ReportFormat.Percent(arm.ConversionRate!.Value)} ({ReportFormat.PValueClause(arm.PValue!.Value)})"))
                + $" ({Level(level, compared.Count)}).");
        }

        return new ExperimentVerdict(
            VerdictOutcome.NoDifferenceYet,
            null,
            $"No difference yet: no arm converts better than control {control.Variation} ({Level(level, compared.Count)})"
            + (worse.Count > 0 ? $"; worse than the control: {string.Join(", ", worse.Select(arm => arm.Variation))}." : "."));
    }

    private static string Level(double level, int comparisons) => comparisons == 1
        ? $"significance level {ReportFormat.Number(level)}"
        : $"significance level {ReportFormat.Number(level)} per arm, {ReportFormat.Number(VerdictRules.SignificanceLevel)} split over {comparisons} arms";

    private static long Exposed(ArmReport arm) => Math.Max(0, arm.UsersExposed);

    private static long Converted(ArmReport arm) => Math.Clamp(arm.Conversions, 0, Exposed(arm));

    private static string Lift(ArmReport arm) => arm.Lift is { } lift ? ReportFormat.SignedPercent(lift) : "undefined";
}
