using System.Text;

namespace Personalization.Aws.Signing;

/// <summary>
/// Builds the SigV4 canonical request from wire-level parts. Shared by the client signer and the local server's
/// verifier so both sides canonicalise identically.
/// </summary>
public static class CanonicalRequest
{
    [ThreadStatic]
    private static StringBuilder? _cachedBuilder;

    internal static StringBuilder RentBuilder()
    {
        var builder = _cachedBuilder ?? new StringBuilder(512);
        _cachedBuilder = null;
        builder.Clear();
        return builder;
    }

    internal static string ReturnBuilder(StringBuilder builder)
    {
        var text = builder.ToString();
        if (builder.Capacity <= 8 * 1024)
        {
            _cachedBuilder = builder;
        }

        return text;
    }

    /// <param name="method">HTTP method.</param>
    /// <param name="escapedPath">The path exactly as sent on the wire (percent-escaped).</param>
    /// <param name="rawQuery">The query without '?', as sent on the wire; empty for none.</param>
    /// <param name="headers">Lower-case header names with their already-canonical values, sorted ordinally.</param>
    /// <param name="payloadHash">Lower-case hex SHA-256 of the body.</param>
    /// <param name="options">Path handling.</param>
    public static string Build(string method, string escapedPath, string rawQuery, IReadOnlyList<KeyValuePair<string, string>> headers, string payloadHash, SigV4Options options)
    {
        var builder = RentBuilder();
        builder.Append(method).Append('\n');
        AppendPath(builder, escapedPath, options);
        builder.Append('\n');
        AppendQuery(builder, rawQuery);
        builder.Append('\n');
        foreach (var (name, value) in headers)
        {
            builder.Append(name).Append(':').Append(value).Append('\n');
        }

        builder.Append('\n');
        AppendSignedHeaders(builder, headers);
        builder.Append('\n').Append(payloadHash);
        return ReturnBuilder(builder);
    }

    public static string SignedHeaders(IReadOnlyList<KeyValuePair<string, string>> headers)
    {
        var builder = new StringBuilder(headers.Count * 16);
        AppendSignedHeaders(builder, headers);
        return builder.ToString();
    }

    private static void AppendSignedHeaders(StringBuilder builder, IReadOnlyList<KeyValuePair<string, string>> headers)
    {
        for (var i = 0; i < headers.Count; i++)
        {
            if (i > 0)
            {
                builder.Append(';');
            }

            builder.Append(headers[i].Key);
        }
    }

    internal static void AppendPath(StringBuilder builder, string escapedPath, SigV4Options options)
    {
        var path = string.IsNullOrEmpty(escapedPath) ? "/" : escapedPath;
        if (options.NormalizePath)
        {
            path = RemoveDotAndEmptySegments(path);
        }

        if (options.DoubleEncodePath)
        {
            AwsUriEncoding.Append(builder, path, keepSlash: true);
            return;
        }

        var first = true;
        foreach (var segment in path.Split('/'))
        {
            if (!first)
            {
                builder.Append('/');
            }

            first = false;
            AwsUriEncoding.Append(builder, Uri.UnescapeDataString(segment), keepSlash: false);
        }
    }

    internal static string RemoveDotAndEmptySegments(string path)
    {
        if (!path.Contains("//", StringComparison.Ordinal) && !path.Contains("/.", StringComparison.Ordinal))
        {
            return path;
        }

        var kept = new List<string>();
        var segments = path.Split('/');
        foreach (var segment in segments)
        {
            switch (segment)
            {
                case "" or ".":
                    break;
                case "..":
                    if (kept.Count > 0)
                    {
                        kept.RemoveAt(kept.Count - 1);
                    }

                    break;
                default:
                    kept.Add(segment);
                    break;
            }
        }

        var last = segments[^1];
        var trailingSlash = kept.Count > 0 && last is "" or "." or "..";
        return "/" + string.Join('/', kept) + (trailingSlash ? "/" : string.Empty);
    }

    internal static void AppendQuery(StringBuilder builder, string rawQuery)
    {
        if (string.IsNullOrEmpty(rawQuery))
        {
            return;
        }

        var pairs = new List<KeyValuePair<string, string>>();
        foreach (var part in rawQuery.Split('&'))
        {
            if (part.Length == 0)
            {
                continue;
            }

            var equals = part.IndexOf('=');
            var key = equals < 0 ? part : part[..equals];
            var value = equals < 0 ? string.Empty : part[(equals + 1)..];
            pairs.Add(new(AwsUriEncoding.Encode(Uri.UnescapeDataString(key)), AwsUriEncoding.Encode(Uri.UnescapeDataString(value))));
        }

        pairs.Sort(static (a, b) =>
        {
            var byKey = string.CompareOrdinal(a.Key, b.Key);
            return byKey != 0 ? byKey : string.CompareOrdinal(a.Value, b.Value);
        });
        for (var i = 0; i < pairs.Count; i++)
        {
            if (i > 0)
            {
                builder.Append('&');
            }

            builder.Append(pairs[i].Key).Append('=').Append(pairs[i].Value);
        }
    }

    /// <summary>Trims a header value and collapses runs of spaces to one, as the canonical form requires.</summary>
    public static string CanonicalHeaderValue(string value)
    {
        var trimmed = value.AsSpan().Trim();
        if (trimmed.IndexOf("  ") < 0 && trimmed.IndexOfAny('\t', '\n', '\r') < 0)
        {
            return trimmed.Length == value.Length ? value : trimmed.ToString();
        }

        var builder = new StringBuilder(trimmed.Length);
        var previousSpace = false;
        foreach (var c in trimmed)
        {
            var space = c is ' ' or '\t' or '\n' or '\r';
            if (space && previousSpace)
            {
                continue;
            }

            builder.Append(space ? ' ' : c);
            previousSpace = space;
        }

        return builder.ToString();
    }
}
