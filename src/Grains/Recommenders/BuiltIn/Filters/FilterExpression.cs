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
        Parameters = CollectParameters(condition).Distinct(StringComparer.Ordinal).ToArray();
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

    /// <summary>Binds dynamic values. Keys name parameters in matching case, with or without the leading <c>$</c>;
    /// values are Personalize-style quoted lists (<c>"\"a\",\"b\""</c>) or one plain value. As in Personalize, an
    /// INCLUDE filter needs every parameter, while an EXCLUDE filter leaves out conditions whose parameter has no value.</summary>
    /// <exception cref="FilterParseException">A value is malformed, or an INCLUDE filter lacks one.</exception>
    public ItemFilter Bind(IReadOnlyDictionary<string, string>? filterValues = null)
    {
        var values = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (filterValues is not null)
        {
            foreach (var (key, raw) in filterValues)
            {
                var name = key.StartsWith('$') ? key[1..] : key;
                values[name] = FilterValueParser.Parse(name, raw);
            }
        }

        if (Include && Parameters.FirstOrDefault(p => !values.ContainsKey(p)) is { } missing)
        {
            throw new FilterParseException($"filter value for ${missing} is required: an INCLUDE filter needs values for all its parameters", -1);
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
