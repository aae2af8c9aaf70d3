using System.Text.Json.Serialization;

namespace Personalization.Grains.Experiments;

/// <summary>Source-generated JSON for the experiment types that cross the wire or go to storage (camelCase).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(MatchedExperiment))]
[JsonSerializable(typeof(ExperimentReport))]
[JsonSerializable(typeof(ArmCounters))]
public sealed partial class ExperimentsJsonContext : JsonSerializerContext;
