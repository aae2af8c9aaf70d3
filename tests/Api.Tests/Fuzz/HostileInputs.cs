using System.Globalization;
using System.Text;
using FsCheck;
using FsCheck.Fluent;

namespace Personalization.Api.Tests.Fuzz;

/// <summary>
/// Generators of what a hostile client sends: text with invalid Unicode (unpaired surrogates as characters and as JSON
/// escapes, bytes that are not UTF-8), numbers at the edges of every range, huge and deeply nested JSON, repeated keys,
/// values of the wrong type. Each input surface builds its requests from these.
/// </summary>
internal static class HostileInputs
{
    private static readonly string[] Words =
    [
        "", "a", "Z9", "_", "-", " ", "%", "\"", "'", "{", "}", "[", "]", ":", ",", "\\", "/", "..", ".", "é", "ሴ", "😀", "\u202e",
        "\u0000", "\u0001", "\n", "\r\n", "\t", "\uFEFF", "\uFFFF", "\uD800", "\uDC00", "\uDBFF\uDBFF", "null", "true", "NaN", "Infinity",
        "1e309", "-0", "9223372036854775808", "253402300799.9999", "<script>", "' OR 1=1 --", "%00", "%ZZ", "%C3", "%ED%A0%80",
    ];

    /// <summary>Lengths either side of the limits: ids (256), JSON map values (1000), properties (1024), bodies.</summary>
    private static readonly int[] Lengths = [255, 256, 257, 1000, 1001, 1024, 1025, 9000, 70_000];

    /// <summary>JSON numbers at the edges: of double, float, long and int, of the dates the service converts, and beyond.</summary>
    public static readonly string[] EdgeNumbers =
    [
        "0", "-0", "1", "-1", "0.5", "1e309", "-1e309", "1E400", "4.9e-324", "1.7976931348623157e308", "3.4028235e38", "3.5e38",
        "2147483648", "-2147483649", "9223372036854775807", "9223372036854775808", "-9223372036854775809", "18446744073709551616",
        "253402300799", "253402300799.9994", "253402300799.9995", "253402300799.9999", "253402300800", "-62135596800",
        "-0.0001", "1e-400", "123456789012345678901234567890123456789", "0.1e1", "1.0", "500", "501",
    ];

    /// <summary>Literal JSON strings the writer never produces: invalid escapes of every kind, raw control characters.</summary>
    private static readonly string[] RawStringLiterals =
    [
        "\"\\uD800\"", "\"\\uDC00\"", "\"a\\uD800b\"", "\"\\uDBFF\\uDBFF\"", "\"\\uDC00\\uD800\"", "\"\\uD83D\"", "\"\\uD83D\\u0041\"",
        "\"\\u00\"", "\"\\x41\"", "\"\\\"", "\"\t\"", "\"\u0001\"", "\"unterminated", "\"\\u0000\"", "\"\\uFFFF\"", "\"\\/\"",
    ];

    /// <summary>Byte sequences that are not UTF-8: stray continuation, truncated, overlong, encoded surrogate, beyond U+10FFFF.</summary>
    private static readonly byte[][] InvalidUtf8 =
    [
        [0xFF], [0xFE], [0x80], [0xC3], [0xC0, 0x80], [0xE2, 0x82], [0xED, 0xA0, 0x80], [0xED, 0xBF, 0xBF], [0xF4, 0x90, 0x80, 0x80], [0xF8, 0x88, 0x80, 0x80, 0x80],
    ];

    public static Gen<bool> Chance(int oneIn) => Gen.Choose(1, oneIn).Select(n => n == 1);

    /// <summary>A .NET string as a client could mean it: words, their concatenations, long runs, any UTF-16 code unit.</summary>
    public static Gen<string> Text { get; } = Gen.Frequency(
        (5, Gen.Elements(Words)),
        (4, Gen.Choose(2, 6).SelectMany(n => Gen.Elements(Words).ArrayOf(n)).Select(string.Concat)),
        (1, Gen.Elements(Lengths).Select(n => new string('x', n))),
        (2, Gen.Choose(1, 0xFFFF).ArrayOf(3).Select(units => new string(units.Select(u => (char)u).ToArray()))));

    /// <summary>A JSON string literal: the text escaped (an unpaired surrogate as its \u escape), or an invalid literal.</summary>
    public static Gen<string> JsonString { get; } = Gen.Frequency((5, Text.Select(Quote)), (2, Gen.Elements(RawStringLiterals)));

    public static Gen<string> JsonNumber { get; } = Gen.Elements(EdgeNumbers);

    private static Gen<string> Scalar { get; } = Gen.Frequency(
        (4, JsonString), (3, JsonNumber), (1, Gen.Elements("true", "false", "null", "nul", "tru", "-", "+1", "01", ".5", "1.", "0x10", "NaN")));

    /// <summary>Nesting far past the readers' limit of 64, as arrays, objects or both.</summary>
    public static Gen<string> DeepNesting { get; } =
        from depth in Gen.Elements(63, 64, 65, 200, 5000)
        from shape in Gen.Choose(0, 2)
        select shape switch
        {
            0 => new string('[', depth) + new string(']', depth),
            1 => string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth),
            _ => string.Concat(Enumerable.Repeat("{\"a\":[", depth)) + "1" + string.Concat(Enumerable.Repeat("]}", depth)),
        };

    /// <summary>Any JSON value up to <paramref name="depth"/> levels (plus deep nesting), where objects may repeat a key.</summary>
    public static Gen<string> JsonValue(int depth) => depth <= 0
        ? Scalar
        : Gen.Frequency(
            (5, Scalar),
            (2, Gen.Choose(0, 4).SelectMany(n => JsonValue(depth - 1).ArrayOf(n)).Select(items => "[" + string.Join(",", items) + "]")),
            (2, JsonObject(Gen.Frequency((3, Gen.Elements("a", "b", "A", "KEY_1", "")), (1, JsonStringKey)), JsonValue(depth - 1))),
            (1, DeepNesting));

    /// <summary>An object of 0–5 members whose keys may repeat (a key drawn twice, or one member written twice).</summary>
    public static Gen<string> JsonObject(Gen<string> key, Gen<string> value) =>
        from count in Gen.Choose(0, 5)
        from members in (from k in key from v in value select Quote(k) + ":" + v).ArrayOf(count)
        from repeat in Chance(4)
        select "{" + string.Join(",", repeat && members.Length > 0 ? [.. members, members[0]] : members) + "}";

    /// <summary>Keys that are themselves invalid text once decoded (unpaired surrogates).</summary>
    private static Gen<string> JsonStringKey { get; } = Gen.Elements("\uD800", "k\uDC00", "\uDBFF\uDBFF", "é", "\u0000");

    /// <summary>The UTF-8 of <paramref name="text"/>, sometimes with a byte sequence that is not UTF-8 spliced in (often inside a string).</summary>
    public static Gen<byte[]> Utf8WithInvalidBytes(Gen<string> text) =>
        from value in text
        from corrupt in Chance(3)
        from bad in Gen.Elements(InvalidUtf8)
        from position in Gen.Choose(0, 1000)
        select corrupt ? Splice(Encoding.UTF8.GetBytes(value), bad, position) : Encoding.UTF8.GetBytes(value);

    /// <summary>A URL path segment or query value: the bytes of some text (maybe not UTF-8), every byte percent-encoded but the unreserved.</summary>
    public static Gen<string> UrlComponent(Gen<string> text) => Utf8WithInvalidBytes(text).Select(PercentEncode);

    /// <summary>A JSON string literal of <paramref name="text"/>; unpaired surrogates become their \u escapes, as a lax writer would send them.</summary>
    public static string Quote(string text)
    {
        var json = new StringBuilder("\"");
        foreach (var c in text)
        {
            _ = c switch
            {
                '"' => json.Append("\\\""),
                '\\' => json.Append("\\\\"),
                < ' ' or (>= '\uD800' and <= '\uDFFF') => json.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture)),
                _ => json.Append(c),
            };
        }

        return json.Append('"').ToString();
    }

    public static string PercentEncode(byte[] bytes)
    {
        var text = new StringBuilder(bytes.Length * 3);
        foreach (var b in bytes)
        {
            if (b is >= (byte)'a' and <= (byte)'z' or >= (byte)'A' and <= (byte)'Z' or >= (byte)'0' and <= (byte)'9' or (byte)'-' or (byte)'_' or (byte)'.' or (byte)'~')
            {
                text.Append((char)b);
            }
            else
            {
                text.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return text.ToString();
    }

    /// <summary>Inserts <paramref name="bad"/> right after the first quote at or past <paramref name="where"/> (so inside a string), else at the end.</summary>
    private static byte[] Splice(byte[] text, byte[] bad, int where)
    {
        var at = Array.IndexOf(text, (byte)'"', Math.Min(where, text.Length));
        var position = at < 0 ? text.Length : at + 1;
        return [.. text.AsSpan(0, position), .. bad, .. text.AsSpan(position)];
    }
}
