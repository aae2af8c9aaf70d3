namespace Personalization.Grains.Context;

/// <summary>
/// A context field (or dynamic filter parameter) and its rules. With EvaluateAll false the first rule that
/// yields a value wins; with true every rule contributes (distinct values, in rule order).
/// </summary>
public sealed record AutoContextField(
    string Name,
    AutoContextFieldType Type,
    ContextValue? Default,
    bool EvaluateAll,
    IReadOnlyList<AutoContextRule> Rules);
