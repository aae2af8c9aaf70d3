namespace Personalization.Grains.Experiments;

/// <summary>One arm of an experiment: a variation of the recommender and its relative share of traffic.</summary>
public sealed record ExperimentArm(string VariationKey, double Weight);
