namespace Personalization.Grains.Experiments;

/// <summary>
/// One arm in <c>GET /experiments/{namespace}/{feature}</c>. Rate, interval and p-value are null (never NaN) when
/// they are undefined: no exposures yet, or this is the control arm (p-value, lift). Rates use conversions capped at
/// exposures, since a rate above 1 is meaningless; the raw count is still reported. <see cref="Lift"/> is the relative
/// difference of the rate against the control's ((rate − control) / control; 0.25 = 25% more), null when the control
/// has no rate or a rate of 0.
/// </summary>
public sealed record ArmReport(
    string Variation,
    bool IsControl,
    bool IsArm,
    double Weight,
    long UsersExposed,
    long Conversions,
    double ConversionValue,
    double? ConversionRate,
    ProportionInterval? ConfidenceInterval,
    double? PValue,
    double? Lift);
