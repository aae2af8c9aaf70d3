using System.Text;

namespace Personalization.Grains.Recommenders.BuiltIn.Filters;

/// <summary>Parses a filter value as Personalize sends it: a comma-separated list of double-quoted strings
/// (<c>"a","b"</c>, backslash escapes), or a single unquoted value taken as-is.</summary>
internal static class FilterValueParser
{
    public static string[] Parse(string parameter, string raw)
    {
        var text = raw.Trim();
        if (!text.StartsWith('"'))
        {
            return [text];
        }

        var values = new List<string>();
        var i = 0;
        while (true)
        {
            if (i >= text.Length || text[i] != '"')
            {
                throw Invalid(parameter, raw, "expected a double-quoted value");
            }

            i++;
            var value = new StringBuilder();
            var closed = false;
            while (i < text.Length)
            {
                var c = text[i++];
                if (c == '\\' && i < text.Length)
                {
                    value.Append(text[i++]);
                }
                else if (c == '"')
                {
                    closed = true;
                    break;
                }
                else
                {
                    value.Append(c);
                }
            }

            if (!closed)
            {
                throw Invalid(parameter, raw, "unterminated quoted value");
            }

            values.Add(value.ToString());
            while (i < text.Length && char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            if (i == text.Length)
            {
                return [.. values];
            }

            if (text[i] != ',')
            {
                throw Invalid(parameter, raw, "expected ',' between quoted values");
            }

            i++;
            while (i < text.Length && char.IsWhiteSpace(text[i]))
            {
                i++;
            }
        }
    }

    private static FilterParseException Invalid(string parameter, string raw, string reason) =>
        new($"filter value for ${parameter} is malformed ({reason}): {raw}", -1);
}
