using System.Text;

namespace Personalization.Grains.Recommenders.Http;

/// <summary>
/// Expands an `http` variation's `url`. Supported placeholders: {userId}, {itemId}, {numResults}; each value is
/// URL-encoded and a missing one becomes empty. Any other {name} is an error, so a typo shows up instead of being
/// sent verbatim. (The original applied Python str.format with the query parameters.)
/// </summary>
public static class HttpUrlTemplate
{
    public static readonly IReadOnlyList<string> Placeholders = ["userId", "itemId", "numResults"];

    public static Uri Expand(string template, string? userId, string? itemId, int numResults)
    {
        var builder = new StringBuilder(template.Length + 32);
        var position = 0;
        while (position < template.Length)
        {
            var open = template.IndexOf('{', position);
            if (open < 0)
            {
                builder.Append(template, position, template.Length - position);
                break;
            }

            var close = template.IndexOf('}', open + 1);
            if (close < 0)
            {
                throw new FormatException($"the url has an unclosed '{{' at position {open}.");
            }

            builder.Append(template, position, open - position);
            var name = template.AsSpan(open + 1, close - open - 1);
            builder.Append(name switch
            {
                "userId" => Uri.EscapeDataString(userId ?? string.Empty),
                "itemId" => Uri.EscapeDataString(itemId ?? string.Empty),
                "numResults" => numResults.ToString(System.Globalization.CultureInfo.InvariantCulture),
                _ => throw new FormatException($"unknown placeholder {{{name}}} in the url (supported: {{userId}}, {{itemId}}, {{numResults}})."),
            });
            position = close + 1;
        }

        if (!Uri.TryCreate(builder.ToString(), UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new FormatException("the url must be an absolute http or https URL.");
        }

        return uri;
    }
}
