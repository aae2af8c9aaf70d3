using System.Globalization;
using Personalization.Grains.Catalog;

namespace Personalization.Grains.Recommenders.BuiltIn.Filters;

/// <summary>Turns a condition tree plus bound values into a delegate; conditions whose parameters are unbound
/// compile to null and drop out of their AND/OR.</summary>
internal static class ItemPredicates
{
    public static Func<CatalogItem?, bool>? Compile(FilterNode node, IReadOnlyDictionary<string, string[]> values)
    {
        switch (node)
        {
            case AndNode and:
            {
                var left = Compile(and.Left, values);
                var right = Compile(and.Right, values);
                return left is null ? right : right is null ? left : item => left(item) && right(item);
            }

            case OrNode or:
            {
                var left = Compile(or.Left, values);
                var right = Compile(or.Right, values);
                return left is null ? right : right is null ? left : item => left(item) || right(item);
            }

            case ConditionNode condition:
                return CompileCondition(condition, values);
            default:
                throw new InvalidOperationException($"unknown filter node {node.GetType().Name}");
        }
    }

    private static Func<CatalogItem?, bool>? CompileCondition(ConditionNode condition, IReadOnlyDictionary<string, string[]> values)
    {
        var operands = new List<string>();
        foreach (var operand in condition.Operands)
        {
            if (!operand.IsParameter)
            {
                operands.Add(operand.Text);
            }
            else if (values.TryGetValue(operand.Text, out var bound))
            {
                operands.AddRange(bound);
            }
        }

        if (operands.Count == 0)
        {
            return null;
        }

        var field = condition.Field;
        switch (condition.Operator)
        {
            case FilterOperator.In or FilterOperator.Equal:
            {
                var set = operands.ToHashSet(StringComparer.Ordinal);
                return item => AnyValue(item, field, set.Contains);
            }

            case FilterOperator.NotIn or FilterOperator.NotEqual:
            {
                var set = operands.ToHashSet(StringComparer.Ordinal);
                return item => !AnyValue(item, field, set.Contains);
            }

            default:
            {
                if (operands.Count != 1 || !double.TryParse(operands[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var bound))
                {
                    throw new FilterParseException($"Items.{field} is compared with {string.Join(", ", operands)}, which is not a single number", -1);
                }

                Func<double, bool> test = condition.Operator switch
                {
                    FilterOperator.Less => v => v < bound,
                    FilterOperator.LessOrEqual => v => v <= bound,
                    FilterOperator.Greater => v => v > bound,
                    _ => v => v >= bound,
                };
                return item => AnyValue(item, field, v => double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && test(number));
            }
        }
    }

    private static bool AnyValue(CatalogItem? item, string field, Func<string, bool> test)
    {
        if (item is null || !item.Fields.TryGetValue(field, out var fieldValues))
        {
            return false;
        }

        foreach (var value in fieldValues)
        {
            if (test(value))
            {
                return true;
            }
        }

        return false;
    }
}
