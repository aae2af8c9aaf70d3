namespace Personalization.Grains.Configuration;

/// <summary>When and from where the live snapshot came, with the warnings it was accepted with.</summary>
public sealed record ConfigurationActivation(DateTimeOffset At, string Origin, IReadOnlyList<ConfigurationIssue> Warnings);
