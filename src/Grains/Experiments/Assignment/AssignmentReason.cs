namespace Personalization.Grains.Experiments;

/// <summary>Why a user got the variation they got. Only <see cref="ExperimentRuleMatch"/> counts toward results.</summary>
[GenerateSerializer, Alias("personalization.AssignmentReason")]
public enum AssignmentReason
{
    NoExperiment,
    NoUser,
    Override,
    Holdout,
    NotInLayerSlot,
    NotRunning,
    ExperimentRuleMatch,
}
