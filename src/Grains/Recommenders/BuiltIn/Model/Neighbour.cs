namespace Personalization.Grains.Recommenders.BuiltIn.Model;

/// <summary>A similar item: how many users share both items, and the resulting cosine similarity.</summary>
internal readonly record struct Neighbour(int Item, float CoCount, float Similarity);
