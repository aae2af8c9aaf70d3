namespace Personalization.Grains.Recommenders.BuiltIn.Filters;

/// <summary>The parsed condition tree of a filter expression.</summary>
internal abstract record FilterNode;

internal sealed record AndNode(FilterNode Left, FilterNode Right) : FilterNode;

internal sealed record OrNode(FilterNode Left, FilterNode Right) : FilterNode;

/// <summary><c>Items.Field OP values</c>; each value is a literal or a <c>$PARAMETER</c>.</summary>
internal sealed record ConditionNode(string Field, FilterOperator Operator, IReadOnlyList<FilterOperand> Operands) : FilterNode;

internal readonly record struct FilterOperand(string Text, bool IsParameter);

internal enum FilterOperator
{
    In,
    NotIn,
    Equal,
    NotEqual,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
}
