namespace Personalization.Grains.Configuration;

/// <summary>`responsePostProcessor` (type lambda). Look-ahead = min(numResults × multiplier, maximum).</summary>
public sealed record ResponsePostProcessorConfig(string Type, string Arn, double? LookAheadMultiplier, double? LookAheadMaximumValue);
