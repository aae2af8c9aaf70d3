namespace Personalization.Grains.Context;

/// <summary>
/// Comparison of a value mapping. Wire names: equals, less-than, greater-than, contains, ends-with, and both
/// start-with (what the original code matches) and starts-with (what its schema documents).
/// </summary>
public enum MappingOperator
{
    Equals,
    LessThan,
    GreaterThan,
    Contains,
    StartsWith,
    EndsWith,
}
