namespace Personalization.Grains.Recommenders.BuiltIn.Filters;

/// <summary>A parsed Personalize filter expression (the subset over item fields):
/// <c>INCLUDE|EXCLUDE ItemID WHERE Items.F IN ("a", $P) [AND|OR ...]</c>, with NOT IN, =, !=, &lt;, &lt;=, &gt;, &gt;=
/// and parentheses. Parse once, then <see cref="Bind"/> per request with its filter values.</summary>
public sealed class FilterExpression
{
    private readonly FilterNode _condition;

    private FilterExpression(string text, bool include, FilterNode condition)
    {
        Text = text;
        Include = include;
        _condition = condition;
        Parameters = CollectParameters(condition).Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
    }

    public string Text { get; }

    /// <summary>True for INCLUDE (keep matching items), false for EXCLUDE (drop them).</summary>
    public bool Include { get; }

    /// <summary>Names of the <c>$PARAMETERS</c>, without the dollar sign.</summary>
    public IReadOnlyList<string> Parameters { get; }

    /// <exception cref="FilterParseException">The expression is not in the supported subset.</exception>
    public static FilterExpression Parse(string expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        var (include, condition) = new FilterParser(FilterTokenizer.Tokenize(expression)).ParseFilter();
        return new FilterExpression(expression, include, condition);
    }

    /// <summary>Binds dynamic values. Keys may carry the leading <c>$</c> or not and match case-insensitively;
    /// values are Personalize-style quoted lists (<c>"\"a\",\"b\""</c>) or one plain value. As in Personalize, a
    /// condition whose parameter has no value is left out of the expression.</summary>
    /// <exception cref="FilterParseException">A value is malformed.</exception>
    public ItemFilter Bind(IReadOnlyDictionary<string, string>? filterValues = null)
    {
        var values = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase);
        if (filterValues is not null)
        {
            foreach (var (key, raw) in filterValues)
            {
                var name = key.StartsWith('$') ? key[1..] : key;
                values[name] = FilterValueParser.Parse(name, raw);
            }
        }

        var predicate = ItemPredicates.Compile(_condition, values);
        return new ItemFilter(Include, predicate);
    }

    private static IEnumerable<string> CollectParameters(FilterNode node) => node switch
    {
        AndNode and => CollectParameters(and.Left).Concat(CollectParameters(and.Right)),
        OrNode or => CollectParameters(or.Left).Concat(CollectParameters(or.Right)),
        ConditionNode condition => condition.Operands.Where(o => o.IsParameter).Select(o => o.Text),
        _ => [],
    };
}
