namespace Personalization.Api.Http;

/// <summary>
/// If-None-Match evaluation (RFC 9110 §13.1.2): weak comparison, so a <c>W/</c> prefix on the client's tag still
/// matches; a list of tags or <c>*</c> is accepted. Unlike the original, the tag is compared with the current
/// representation's tag, so an old tag never earns a 304 for another URL or changed content.
/// </summary>
public static class EntityTags
{
    public static bool IfNoneMatchSatisfied(ReadOnlySpan<char> ifNoneMatch, ReadOnlySpan<char> currentTag)
    {
        var opaqueCurrent = Opaque(currentTag);
        foreach (var range in ifNoneMatch.Split(','))
        {
            var candidate = ifNoneMatch[range].Trim();
            if (candidate.SequenceEqual("*"))
            {
                return true;
            }

            if (!candidate.IsEmpty && Opaque(candidate).SequenceEqual(opaqueCurrent))
            {
                return true;
            }
        }

        return false;
    }

    private static ReadOnlySpan<char> Opaque(ReadOnlySpan<char> tag)
    {
        if (tag.StartsWith("W/", StringComparison.Ordinal))
        {
            tag = tag[2..];
        }

        return tag.Length >= 2 && tag[0] == '"' && tag[^1] == '"' ? tag[1..^1] : tag;
    }
}
