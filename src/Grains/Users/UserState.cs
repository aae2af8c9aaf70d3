namespace Personalization.Grains.Users;

/// <summary>What a user grain keeps across activations and silos.</summary>
[GenerateSerializer, Alias("personalization.UserState")]
public sealed class UserState
{
    /// <summary>feature → the arm the user was first exposed to (conversions are credited to it).</summary>
    [Id(0)]
    public Dictionary<string, string> Exposures { get; set; } = new(StringComparer.Ordinal);

    /// <summary>"feature/metric" pairs the user has converted on, so a user counts once per metric.</summary>
    [Id(1)]
    public HashSet<string> Conversions { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The user's most recent events, newest last (bounded).</summary>
    [Id(2)]
    public List<UserEvent> RecentEvents { get; set; } = [];

    /// <summary>recommendationId → feature of experiment responses recently served to the user (bounded, oldest first).</summary>
    [Id(3)]
    public List<KeyValuePair<string, string>> ServedExperimentResponses { get; set; } = [];
}
