namespace Personalization.Grains.Configuration;

public sealed record ConfigurationApplyResult(
    ConfigurationApplyStatus Status,
    ConfigurationSnapshot? Snapshot,
    IReadOnlyList<ConfigurationIssue> Errors,
    IReadOnlyList<ConfigurationIssue> Warnings);
