using System.Text.Json.Serialization;

namespace Personalization.Grains.Experiments;

/// <summary>What an experiment's numbers allow one to say so far.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<VerdictOutcome>))]
public enum VerdictOutcome
{
    /// <summary>An arm or a comparison is below <see cref="VerdictRules"/>' minimum sample.</summary>
    [JsonStringEnumMemberName("notEnoughData")]
    NotEnoughData,

    /// <summary>Enough data, and no arm converts better than the control at the significance level.</summary>
    [JsonStringEnumMemberName("noDifferenceYet")]
    NoDifferenceYet,

    /// <summary><see cref="ExperimentVerdict.Arm"/> converts better: an arm better than the control, or the control better than every other arm.</summary>
    [JsonStringEnumMemberName("armBetter")]
    ArmBetter,
}

/// <summary>The plain-words verdict of one experiment report: the outcome, the better arm (if any) and one sentence.</summary>
public sealed record ExperimentVerdict(VerdictOutcome Outcome, string? Arm, string Summary);
