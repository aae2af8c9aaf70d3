namespace Personalization.Grains.Experiments;

/// <summary>Turns persisted <see cref="ArmCounters"/> into the results report.</summary>
public static class ExperimentResults
{
    /// <summary>
    /// Arms appear in config order, followed by variations that have counts but are no longer arms
    /// (<see cref="ArmReport.IsArm"/> false), ordinally sorted so the output is stable.
    /// </summary>
    public static ExperimentReport Build(string @namespace, ExperimentDefinition experiment, ArmCounters counters, string? metric = null)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        ArgumentNullException.ThrowIfNull(counters);
        var control = counters[experiment.Control];
        var arms = new List<ArmReport>(experiment.Arms.Count);
        foreach (var arm in experiment.Arms)
        {
            arms.Add(Describe(arm.VariationKey, isArm: true, arm.Weight, counters[arm.VariationKey], experiment.Control, control));
        }

        var configured = experiment.Arms.Select(arm => arm.VariationKey).ToHashSet(StringComparer.Ordinal);
        foreach (var variation in counters.Arms.Keys.Where(key => !configured.Contains(key)).Order(StringComparer.Ordinal))
        {
            arms.Add(Describe(variation, isArm: false, 0, counters[variation], experiment.Control, control));
        }

        return new ExperimentReport(
            @namespace,
            experiment.Feature,
            experiment.MethodName,
            metric ?? experiment.Metrics[0].Name,
            experiment.Control,
            0.95,
            arms,
            ExperimentVerdicts.Decide(experiment.Control, arms));
    }

    private static ArmReport Describe(string variation, bool isArm, double weight, ArmTally tally, string controlKey, ArmTally control)
    {
        var isControl = variation == controlKey;
        var exposures = Math.Max(0, tally.Exposures);
        var conversions = Math.Clamp(tally.Conversions, 0, exposures);
        var rate = Rate(conversions, exposures);
        var controlExposures = Math.Max(0, control.Exposures);
        var controlConversions = Math.Clamp(control.Conversions, 0, controlExposures);
        var pValue = isControl
            ? null
            : ExperimentStatistics.TwoProportionPValue(controlConversions, controlExposures, conversions, exposures);
        var lift = isControl ? null : ExperimentStatistics.RelativeLift(Rate(controlConversions, controlExposures), rate);
        return new ArmReport(
            variation,
            isControl,
            isArm,
            weight,
            tally.Exposures,
            tally.Conversions,
            tally.ConversionValue,
            rate,
            ExperimentStatistics.WilsonInterval(conversions, exposures),
            pValue,
            lift);
    }

    private static double? Rate(long conversions, long exposures) => exposures > 0 ? (double)conversions / exposures : null;
}
