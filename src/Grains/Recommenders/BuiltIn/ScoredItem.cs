namespace Personalization.Grains.Recommenders.BuiltIn;

public readonly record struct ScoredItem(string ItemId, double Score);
