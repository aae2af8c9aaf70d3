namespace Personalization.Grains.Configuration.Generation;

/// <summary>The generated document (indented UTF-8 JSON), what the parser made of it, and what was skipped and why.</summary>
public sealed record GeneratedConfiguration(ReadOnlyMemory<byte> Json, ConfigurationParseResult Validation, IReadOnlyList<string> Warnings);
