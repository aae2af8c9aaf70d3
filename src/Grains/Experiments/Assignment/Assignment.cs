namespace Personalization.Grains.Experiments;

/// <summary>
/// The variation a user is served for one experiment. <see cref="IsInExperiment"/> says whether serving it counts as
/// an exposure (and later conversions count): true only for <see cref="AssignmentReason.ExperimentRuleMatch"/>.
/// QA overrides and holdouts are deliberately not counted, so they never bias the arms' statistics.
/// </summary>
public readonly record struct Assignment(string VariationKey, bool IsInExperiment, AssignmentReason Reason)
{
    public static Assignment NoExperiment(string defaultVariation) => new(defaultVariation, false, AssignmentReason.NoExperiment);
}
