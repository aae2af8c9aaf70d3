namespace Personalization.Grains.Experiments;

/// <summary>
/// Body of <c>GET /experiments/{namespace}/{feature}</c>: per arm exposures, conversions, conversion rate with a
/// 95% Wilson interval, lift and the pooled two-sided two-proportion z-test p-value against <see cref="Control"/>,
/// and the plain-words <see cref="Verdict"/> (rules in <see cref="VerdictRules"/>). The HTML page
/// <c>/experiments/{namespace}</c> renders this same record.
/// </summary>
public sealed record ExperimentReport(
    string Namespace,
    string Feature,
    string Method,
    string Metric,
    string Control,
    double ConfidenceLevel,
    IReadOnlyList<ArmReport> Arms,
    ExperimentVerdict Verdict);
