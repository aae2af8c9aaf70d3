namespace Personalization.Grains.Experiments;

/// <summary>
/// Body of <c>GET /experiments/{namespace}/{feature}</c>: per arm exposures, conversions, conversion rate with a
/// 95% Wilson interval, and the pooled two-sided two-proportion z-test p-value against <see cref="Control"/>.
/// </summary>
public sealed record ExperimentReport(
    string Namespace,
    string Feature,
    string Method,
    string Metric,
    string Control,
    double ConfidenceLevel,
    IReadOnlyList<ArmReport> Arms);
