using System.Text.Json.Serialization;

namespace Personalization.Grains.Experiments;

/// <summary><c>matchedExperiment.details</c>: the served variation and why (Evidently's reason string).</summary>
public sealed record MatchedExperimentDetails(
    [property: JsonPropertyName("variation")] string Variation,
    [property: JsonPropertyName("reason")] string Reason);
