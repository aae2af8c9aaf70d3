namespace Personalization.Grains.Configuration;

public sealed record ExperimentArm(string VariationKey, double Weight);
