namespace Personalization.Grains.Context;

/// <summary>One rule of a field. Header is set for header-value rules (matched case-insensitively).</summary>
public sealed record AutoContextRule(AutoContextRuleType Type, string? Header, IReadOnlyList<ValueMapping> ValueMappings);
