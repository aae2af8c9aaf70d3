namespace Personalization.Grains.Context;

/// <summary>A field's resolved values (distinct, in rule order; non-string types are already in invariant numeric form).</summary>
public sealed record ResolvedField(string Name, AutoContextFieldType Type, IReadOnlyList<string> Values)
{
    public string First => Values[0];
}
