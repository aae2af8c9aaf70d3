namespace Personalization.Grains.Recommenders.BuiltIn.Filters;

/// <summary>A filter expression or filter value that cannot be understood; <see cref="Position"/> is a 0-based
/// character offset into the expression (or -1 for a filter value).</summary>
public sealed class FilterParseException(string message, int position)
    : FormatException(position >= 0 ? $"{message} (at position {position})" : message)
{
    public int Position { get; } = position;
}
