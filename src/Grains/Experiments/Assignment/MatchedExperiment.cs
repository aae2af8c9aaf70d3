using System.Text.Json;
using System.Text.Json.Serialization;

namespace Personalization.Grains.Experiments;

/// <summary>
/// The <c>matchedExperiment</c> element of an inference response, in the original's shape {type, feature, details}.
/// The original put Evidently's EvaluateFeature result in <c>details</c>; the built-in engine sends
/// <c>{"variation": "...", "reason": "EXPERIMENT_RULE_MATCH"}</c> (Evidently's field names for the same facts) and
/// <c>type</c> is the configured method ("evidently" or "builtin"). Sent only for counted assignments: overrides,
/// holdouts and users outside the experiment get none, as the original sent none for non-rule matches.
/// </summary>
public sealed record MatchedExperiment(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("feature")] string Feature,
    [property: JsonPropertyName("details")] MatchedExperimentDetails Details)
{
    public const string RuleMatchReason = "EXPERIMENT_RULE_MATCH";

    /// <summary>The element for <paramref name="assignment"/>, or null when the response must not carry one.</summary>
    public static MatchedExperiment? For(ExperimentDefinition experiment, Assignment assignment) =>
        assignment.Reason == AssignmentReason.ExperimentRuleMatch
            ? new MatchedExperiment(experiment.MethodName, experiment.Feature, new MatchedExperimentDetails(assignment.VariationKey, RuleMatchReason))
            : null;

    /// <summary>
    /// Writes the element's value straight to <paramref name="writer"/> (the caller writes the property name), so
    /// a response serialized once need not allocate this record.
    /// </summary>
    public static void Write(Utf8JsonWriter writer, ExperimentDefinition experiment, Assignment assignment)
    {
        if (assignment.Reason != AssignmentReason.ExperimentRuleMatch)
        {
            throw new ArgumentException($"Only a counted assignment is reported as matchedExperiment, not {assignment.Reason}.", nameof(assignment));
        }

        writer.WriteStartObject();
        writer.WriteString(TypeName, experiment.MethodName);
        writer.WriteString(FeatureName, experiment.Feature);
        writer.WriteStartObject(DetailsName);
        writer.WriteString(VariationName, assignment.VariationKey);
        writer.WriteString(ReasonName, RuleMatchReason);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    public void WriteTo(Utf8JsonWriter writer) =>
        JsonSerializer.Serialize(writer, this, ExperimentsJsonContext.Default.MatchedExperiment);

    private static readonly JsonEncodedText TypeName = JsonEncodedText.Encode("type");
    private static readonly JsonEncodedText FeatureName = JsonEncodedText.Encode("feature");
    private static readonly JsonEncodedText DetailsName = JsonEncodedText.Encode("details");
    private static readonly JsonEncodedText VariationName = JsonEncodedText.Encode("variation");
    private static readonly JsonEncodedText ReasonName = JsonEncodedText.Encode("reason");
}
