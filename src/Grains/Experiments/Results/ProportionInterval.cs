namespace Personalization.Grains.Experiments;

/// <summary>A confidence interval for a rate, both ends within [0, 1].</summary>
public sealed record ProportionInterval(double Lower, double Upper);
