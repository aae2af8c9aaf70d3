namespace Personalization.Grains.Configuration;

/// <summary>
/// `responsePostProcessor` (type lambda): the function (name or ARN, optional `qualifier`) that receives the
/// backend's answer and returns its replacement. Look-ahead = min(numResults × multiplier, maximum). When the function
/// fails, the unprocessed answer is served (`onError: "serve-unprocessed"`, the default) or the request fails
/// (`onError: "fail"`, <paramref name="FailRequestOnError"/>).
/// </summary>
public sealed record ResponsePostProcessorConfig(
    string Type,
    string Arn,
    double? LookAheadMultiplier,
    double? LookAheadMaximumValue,
    string? Qualifier = null,
    bool FailRequestOnError = false);
