namespace Personalization.Grains.Configuration;

/// <summary>Outcome of parsing a document: a snapshot only when there are no errors; warnings never block.</summary>
public sealed record ConfigurationParseResult(
    ConfigurationSnapshot? Snapshot,
    IReadOnlyList<ConfigurationIssue> Errors,
    IReadOnlyList<ConfigurationIssue> Warnings)
{
    public bool IsValid => Snapshot is not null;
}
