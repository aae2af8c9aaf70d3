using System.Text;

namespace Personalization.Grains.Recommenders.BuiltIn.Filters;

internal static class FilterTokenizer
{
    public static List<FilterToken> Tokenize(string expression)
    {
        var tokens = new List<FilterToken>();
        var i = 0;
        while (i < expression.Length)
        {
            var c = expression[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (c is '(' or ')' or ',')
            {
                tokens.Add(new FilterToken(c switch { '(' => FilterTokenKind.OpenParen, ')' => FilterTokenKind.CloseParen, _ => FilterTokenKind.Comma }, c.ToString(), i));
                i++;
            }
            else if (c is '"' or '\'')
            {
                tokens.Add(ReadString(expression, ref i));
            }
            else if (c is '=' or '!' or '<' or '>')
            {
                var start = i++;
                if (i < expression.Length && expression[i] == '=')
                {
                    i++;
                }

                var text = expression[start..i];
                if (text == "!")
                {
                    throw new FilterParseException("'!' must be followed by '='", start);
                }

                tokens.Add(new FilterToken(FilterTokenKind.Operator, text, start));
            }
            else if (c == '$')
            {
                var start = i++;
                while (i < expression.Length && (char.IsLetterOrDigit(expression[i]) || expression[i] == '_'))
                {
                    i++;
                }

                if (i == start + 1)
                {
                    throw new FilterParseException("'$' must be followed by a parameter name", start);
                }

                tokens.Add(new FilterToken(FilterTokenKind.Parameter, expression[(start + 1)..i], start));
            }
            else if (char.IsDigit(c) || c is '-' or '.')
            {
                var start = i++;
                while (i < expression.Length && (char.IsDigit(expression[i]) || expression[i] is '.' or 'e' or 'E'))
                {
                    i++;
                }

                tokens.Add(new FilterToken(FilterTokenKind.Number, expression[start..i], start));
            }
            else if (char.IsLetter(c) || c == '_')
            {
                var start = i++;
                while (i < expression.Length && (char.IsLetterOrDigit(expression[i]) || expression[i] is '_' or '.' or '-'))
                {
                    i++;
                }

                tokens.Add(new FilterToken(FilterTokenKind.Word, expression[start..i], start));
            }
            else
            {
                throw new FilterParseException($"unexpected character '{c}'", i);
            }
        }

        tokens.Add(new FilterToken(FilterTokenKind.End, string.Empty, expression.Length));
        return tokens;
    }

    private static FilterToken ReadString(string expression, ref int i)
    {
        var quote = expression[i];
        var start = i++;
        var text = new StringBuilder();
        while (i < expression.Length)
        {
            var c = expression[i++];
            if (c == '\\' && i < expression.Length)
            {
                text.Append(expression[i++]);
            }
            else if (c == quote)
            {
                return new FilterToken(FilterTokenKind.String, text.ToString(), start);
            }
            else
            {
                text.Append(c);
            }
        }

        throw new FilterParseException("unterminated string literal", start);
    }
}
