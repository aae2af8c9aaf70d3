using System.Text;

namespace Personalization.Aws.Signing;

/// <summary>RFC 3986 percent-encoding as SigV4 defines it: only A-Z a-z 0-9 - _ . ~ stay literal, hex is upper case.</summary>
internal static class AwsUriEncoding
{
    private const string Hex = "0123456789ABCDEF";

    public static bool IsUnreserved(byte c) =>
        c is (>= (byte)'A' and <= (byte)'Z') or (>= (byte)'a' and <= (byte)'z') or (>= (byte)'0' and <= (byte)'9')
            or (byte)'-' or (byte)'_' or (byte)'.' or (byte)'~';

    public static void Append(StringBuilder builder, ReadOnlySpan<char> value, bool keepSlash)
    {
        Span<byte> utf8 = stackalloc byte[4];
        foreach (var rune in value.EnumerateRunes())
        {
            var length = rune.EncodeToUtf8(utf8);
            for (var i = 0; i < length; i++)
            {
                var b = utf8[i];
                if (IsUnreserved(b) || (keepSlash && b == (byte)'/'))
                {
                    builder.Append((char)b);
                }
                else
                {
                    builder.Append('%').Append(Hex[b >> 4]).Append(Hex[b & 0xF]);
                }
            }
        }
    }

    public static string Encode(ReadOnlySpan<char> value, bool keepSlash = false)
    {
        var builder = new StringBuilder(value.Length + 8);
        Append(builder, value, keepSlash);
        return builder.ToString();
    }
}
