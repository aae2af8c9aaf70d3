using System.Globalization;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using static Personalization.Api.Tests.Fuzz.HostileInputs;

namespace Personalization.Api.Tests.Fuzz;

/// <summary>
/// HTTP/1.1 requests as bytes on a socket, with the framing broken in the ways a client or a proxy can break it:
/// chunk sizes that are not hex or overflow, chunks shorter or longer than announced, a missing last chunk,
/// Content-Length that lies, is negative, repeated or sent beside Transfer-Encoding, bad request lines, header lines
/// with control bytes or bytes that are not ASCII, headers and request lines over Kestrel's limits.
/// </summary>
internal static class RawRequests
{
    private static readonly (string Method, string Path, string? Body)[] Targets =
    [
        ("POST", "/events/shop", ClientRequests.ValidEvents),
        ("POST", "/rerank-items/shop/rank/u1", """["i1","i2"]"""),
        ("GET", "/recommend-items/shop/for-you/u1?numResults=3", null),
        ("GET", "/ready", null),
    ];

    private static readonly string[] ChunkSizes =
    [
        "FFFFFFFFFFFFFFFFFFFF", "7fffffffffffffff", "80000000", "-1", "zz", "0x10", " 5", "5 ", "1;ext=\u0001", "", "+5", "5;", "10000000000000000",
    ];

    private static readonly string[] ContentLengths = ["-1", "abc", "99999999999999999999", "10, 20", "1e3", " 5", "0x10", "", "+5", "2147483648"];

    private static readonly string[] Methods = ["G\u0000T", "GE T", "get", "PRI", "CONNECT", new string('M', 300), "", "POST\t"];

    private static readonly string[] Paths =
    [
        "/a b", "*", "http://evil.example/ready", "/%", "/%zz", "/\u0001", "//", "/events/shop#frag", "?x=1", "/ready?\u00ff=\u00fe",
        "/recommend-items/shop/for-you/" + new string('u', 9000),
    ];

    private static readonly string[] Versions = ["HTTP/1.0", "HTTP/9.9", "HTTP/1.1 x", "HTTP/1", "http/1.1", "HTTP/2.0", ""];

    private static readonly string[] HeaderLines =
    [
        "X-Bad Name: 1", ": empty-name", "X-Fold: a\r\n b", "X-Nul: a\u0000b", "X-High: \u00ff\u00fe\u0080", "X-Cr: a\rb", "Host: a\r\nHost: b",
        "X-Big: " + new string('b', 40_000), "If-None-Match: " + new string('"', 5000), "Content-Type: application/json; charset=utf-16",
        "Content-Type: ", "Expect: 100-continue", "Expect: teapot", "Connection: Upgrade\r\nUpgrade: h2c", "X-Segment: \u00e9\u00e8",
        "Cloudfront-Viewer-Time-Zone: \u00ff", "Cloudfront-Viewer-Latitude: 1e309",
    ];

    public static Gen<byte[]> Requests { get; } =
        from target in Gen.Elements(Targets)
        from method in Gen.Frequency((8, Gen.Constant(target.Method)), (1, Gen.Elements(Methods)))
        from path in Gen.Frequency((8, Gen.Constant(target.Path)), (1, Gen.Elements(Paths)))
        from version in Gen.Frequency((8, Gen.Constant("HTTP/1.1")), (1, Gen.Elements(Versions)))
        from newline in Gen.Frequency((8, Gen.Constant("\r\n")), (1, Gen.Constant("\n")))
        from extraCount in Gen.Frequency((3, Gen.Constant(0)), (2, Gen.Choose(1, 3)))
        from extra in Gen.Elements(HeaderLines).ArrayOf(extraCount)
        from body in Gen.Frequency((3, Gen.Constant(Encoding.UTF8.GetBytes(target.Body ?? ""))), (1, Utf8WithInvalidBytes(JsonValue(2))))
        from framing in Gen.Frequency((2, ContentLength(body)), (2, LyingContentLength(body)), (4, Chunked(body)), (1, Gen.Constant((Headers: Array.Empty<string>(), Payload: body))))
        select Assemble($"{method} {path} {version}", ["Host: localhost", .. extra, .. framing.Headers], framing.Payload, newline);

    private static Gen<(string[] Headers, byte[] Payload)> ContentLength(byte[] body) =>
        Gen.Constant((new[] { "Content-Type: application/json", "Content-Length: " + body.Length.ToString(CultureInfo.InvariantCulture) }, body));

    /// <summary>A length that does not match the body, is not a number, repeats with another value, or comes with chunked.</summary>
    private static Gen<(string[] Headers, byte[] Payload)> LyingContentLength(byte[] body) =>
        from kind in Gen.Choose(0, 3)
        from text in Gen.Elements(ContentLengths)
        from delta in Gen.Elements(-5, -1, 1, 1000)
        select kind switch
        {
            0 => (new[] { "Content-Length: " + text }, body),
            1 => (new[] { "Content-Length: " + Math.Max(0, body.Length + delta).ToString(CultureInfo.InvariantCulture) }, body),
            2 => (new[] { "Content-Length: " + body.Length.ToString(CultureInfo.InvariantCulture), "Content-Length: " + (body.Length + 1).ToString(CultureInfo.InvariantCulture) }, body),
            _ => (new[] { "Content-Length: " + body.Length.ToString(CultureInfo.InvariantCulture), "Transfer-Encoding: chunked" }, body),
        };

    /// <summary>The body cut into chunks whose size lines may lie or be malformed, with or without the last chunk.</summary>
    private static Gen<(string[] Headers, byte[] Payload)> Chunked(byte[] body) =>
        from coding in Gen.Frequency((5, Gen.Constant("chunked")), (1, Gen.Elements("Chunked", "gzip, chunked", "chunked, chunked", "identity", "chunked, gzip", "xchunked")))
        from split in Gen.Choose(0, body.Length)
        from badSize in Gen.Frequency((3, Gen.Constant<string?>(null)), (2, Gen.Elements(ChunkSizes).Select(s => (string?)s)))
        from sizeError in Gen.Elements(0, 0, 0, -1, 1, 7)
        from ending in Gen.Elements("0\r\n\r\n", "0\r\n\r\n", "0\r\n", "", "0\r\nX-Trailer: \u0000\r\n\r\n", "0;x\r\n\r\n", "00000000000000000000\r\n\r\n")
        select (new[] { "Content-Type: application/json", "Transfer-Encoding: " + coding }, ChunkedPayload(body, split, badSize, sizeError, ending));

    private static byte[] ChunkedPayload(byte[] body, int split, string? badSize, int sizeError, string ending)
    {
        var payload = new List<byte>();
        foreach (var (start, length) in new[] { (0, split), (split, body.Length - split) })
        {
            if (length == 0)
            {
                continue;
            }

            var size = badSize ?? Math.Max(0, length + sizeError).ToString("x", CultureInfo.InvariantCulture);
            payload.AddRange(Encoding.Latin1.GetBytes(size + "\r\n"));
            payload.AddRange(body.AsSpan(start, length).ToArray());
            payload.AddRange("\r\n"u8.ToArray());
        }

        payload.AddRange(Encoding.Latin1.GetBytes(ending));
        return [.. payload];
    }

    private static byte[] Assemble(string requestLine, IEnumerable<string> headers, byte[] payload, string newline)
    {
        var head = new StringBuilder(requestLine).Append(newline);
        foreach (var header in headers)
        {
            head.Append(header).Append(newline);
        }

        head.Append(newline);
        // Latin-1: every char below U+0100 is sent as the one byte it stands for, so the lines carry exactly the bytes meant.
        return [.. Encoding.Latin1.GetBytes(head.ToString()), .. payload];
    }
}
