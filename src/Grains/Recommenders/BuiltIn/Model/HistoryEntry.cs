namespace Personalization.Grains.Recommenders.BuiltIn.Model;

/// <summary>A distinct item in a user's recent history: its latest event time and strongest event weight.</summary>
internal readonly record struct HistoryEntry(int Item, long Timestamp, float Weight);
