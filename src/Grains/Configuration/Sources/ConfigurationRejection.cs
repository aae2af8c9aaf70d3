namespace Personalization.Grains.Configuration;

/// <summary>Why the most recent document was refused, for admin and health endpoints.</summary>
public sealed record ConfigurationRejection(DateTimeOffset At, string Origin, string ContentHash, IReadOnlyList<ConfigurationIssue> Errors);
