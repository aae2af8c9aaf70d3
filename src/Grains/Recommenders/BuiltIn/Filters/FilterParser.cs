namespace Personalization.Grains.Recommenders.BuiltIn.Filters;

/// <summary>Recursive descent over the Personalize filter subset; AND binds tighter than OR.</summary>
internal sealed class FilterParser(List<FilterToken> tokens)
{
    private const string ItemsPrefix = "Items.";
    private int _next;

    private FilterToken Current => tokens[_next];

    public (bool Include, FilterNode Condition) ParseFilter()
    {
        bool include;
        if (Current.IsWord("INCLUDE"))
        {
            include = true;
        }
        else if (Current.IsWord("EXCLUDE"))
        {
            include = false;
        }
        else
        {
            throw Error("expected INCLUDE or EXCLUDE");
        }

        _next++;
        ExpectWord("ItemID");
        ExpectWord("WHERE");
        var condition = ParseOr();
        if (Current.Kind != FilterTokenKind.End)
        {
            throw Error("expected AND, OR or the end of the expression");
        }

        return (include, condition);
    }

    private FilterNode ParseOr()
    {
        var left = ParseAnd();
        while (Current.IsWord("OR"))
        {
            _next++;
            left = new OrNode(left, ParseAnd());
        }

        return left;
    }

    private FilterNode ParseAnd()
    {
        var left = ParsePrimary();
        while (Current.IsWord("AND"))
        {
            _next++;
            left = new AndNode(left, ParsePrimary());
        }

        return left;
    }

    private FilterNode ParsePrimary()
    {
        if (Current.Kind == FilterTokenKind.OpenParen)
        {
            _next++;
            var inner = ParseOr();
            Expect(FilterTokenKind.CloseParen, "')'");
            return inner;
        }

        if (Current.Kind != FilterTokenKind.Word)
        {
            throw Error("expected a condition such as Items.FIELD IN (\"value\")");
        }

        var fieldToken = Current;
        if (!fieldToken.Text.StartsWith(ItemsPrefix, StringComparison.OrdinalIgnoreCase) || fieldToken.Text.Length == ItemsPrefix.Length)
        {
            throw Error($"only Items.<field> conditions are supported by the built-in recommender, found '{fieldToken.Text}'");
        }

        _next++;
        var field = fieldToken.Text[ItemsPrefix.Length..];
        var op = ParseOperator();
        if (op is FilterOperator.In or FilterOperator.NotIn)
        {
            Expect(FilterTokenKind.OpenParen, "'(' after IN");
            var operands = new List<FilterOperand> { ParseOperand() };
            while (Current.Kind == FilterTokenKind.Comma)
            {
                _next++;
                operands.Add(ParseOperand());
            }

            Expect(FilterTokenKind.CloseParen, "',' or ')' in the value list");
            return new ConditionNode(field, op, operands);
        }

        return new ConditionNode(field, op, [ParseOperand()]);
    }

    private FilterOperator ParseOperator()
    {
        var token = Current;
        _next++;
        if (token.IsWord("IN"))
        {
            return FilterOperator.In;
        }

        if (token.IsWord("NOT"))
        {
            if (!Current.IsWord("IN"))
            {
                throw Error("expected IN after NOT");
            }

            _next++;
            return FilterOperator.NotIn;
        }

        if (token.Kind == FilterTokenKind.Operator)
        {
            return token.Text switch
            {
                "=" => FilterOperator.Equal,
                "!=" => FilterOperator.NotEqual,
                "<" => FilterOperator.Less,
                "<=" => FilterOperator.LessOrEqual,
                ">" => FilterOperator.Greater,
                _ => FilterOperator.GreaterOrEqual,
            };
        }

        _next--;
        throw Error("expected IN, NOT IN, =, !=, <, <=, > or >=");
    }

    private FilterOperand ParseOperand()
    {
        var token = Current;
        switch (token.Kind)
        {
            case FilterTokenKind.String:
            case FilterTokenKind.Number:
                _next++;
                return new FilterOperand(token.Text, IsParameter: false);
            case FilterTokenKind.Parameter:
                _next++;
                return new FilterOperand(token.Text, IsParameter: true);
            default:
                throw Error("expected a quoted value, a number or a $PARAMETER");
        }
    }

    private void ExpectWord(string keyword)
    {
        if (!Current.IsWord(keyword))
        {
            throw Error($"expected {keyword}");
        }

        _next++;
    }

    private void Expect(FilterTokenKind kind, string what)
    {
        if (Current.Kind != kind)
        {
            throw Error($"expected {what}");
        }

        _next++;
    }

    private FilterParseException Error(string message) =>
        new($"{message}, found {Current.Describe()}", Current.Position);
}
