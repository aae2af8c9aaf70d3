using System.Text;
using FsCheck;
using FsCheck.Fluent;
using static Personalization.Api.Tests.Fuzz.HostileInputs;

namespace Personalization.Api.Tests.Fuzz;

/// <summary>
/// Requests against <see cref="FuzzSilo"/>'s configuration, one generator per input surface. Most requests are valid
/// but for a few hostile parts, so they reach the code behind validation (auto context merged into properties, the
/// fan-out, the recommenders) and not only the first check.
/// </summary>
internal static class ClientRequests
{
    public static readonly string[] QueryParameters = ["numResults", "filter", "filterValues", "context", "decorateItems", "decorateFields", "syntheticUser", "feature", "userId"];

    /// <summary>Headers the auto context of the fuzz configuration reads, and those of conditional GETs.</summary>
    public static readonly string[] ContextHeaders =
    [
        "cloudfront-is-mobile-viewer", "x-segment", "cloudfront-viewer-city", "cloudfront-viewer-latitude", "x-score", "x-genre",
        "cloudfront-viewer-time-zone", "user-agent", "if-none-match",
    ];

    private static readonly (string Template, string[] Valid, bool Post)[] Routes =
    [
        ("/recommend-items/{0}/{1}/{2}", ["shop", "for-you", "u1"], false),
        ("/recommend-items/{0}/{1}/{2}", ["shop", "ab", "u2"], false),
        ("/related-items/{0}/{1}/{2}", ["shop", "similar", "i1"], false),
        ("/rerank-items/{0}/{1}/{2}/{3}", ["shop", "rank", "u1", "i1,i2,i3"], false),
        ("/rerank-items/{0}/{1}/{2}", ["shop", "rank", "u3"], true),
        ("/experiments/{0}/{1}", ["shop", "home"], false),
        ("/events/{0}", ["shop"], true),
    ];

    private static readonly string[] InferenceRoutes =
        ["/recommend-items/shop/for-you/u1", "/recommend-items/shop/ab/u2", "/related-items/shop/similar/i1", "/rerank-items/shop/rank/u1/i1,i2,i3"];

    public const string ValidEvents = """{"sessionId":"s-1","userId":"u1","eventList":[{"eventType":"click","itemId":"i1","properties":{"color":"red"}}]}""";

    /// <summary>Every path segment of every route: valid names, text of any bytes, and separators in disguise.</summary>
    public static Gen<HttpCase> PathSegments =>
        from route in Gen.Elements(Routes)
        from segments in Gen.CollectToArray(route.Valid.Select(valid => Gen.Frequency(
            (2, Gen.Constant(valid)),
            (3, UrlComponent(Text)),
            (1, Gen.Elements("%2F", "..", "%2E%2E", ".", "%00", "a%2Fb", "%5C", new string('i', 300), "i1,,i2", string.Join(',', Enumerable.Range(0, 501).Select(i => "i" + i)))))))
        select new HttpCase(
            route.Post ? "POST" : "GET",
            string.Format(System.Globalization.CultureInfo.InvariantCulture, route.Template, segments),
            [],
            route.Post ? Encoding.UTF8.GetBytes(route.Template.StartsWith("/events", StringComparison.Ordinal) ? ValidEvents : """["i1","i2"]""") : null);

    /// <summary>Every query parameter of the inference routes, each given zero to two times, with values for its type and any other.</summary>
    public static Gen<HttpCase> QueryStrings =>
        from route in Gen.Elements(InferenceRoutes)
        from count in Gen.Choose(1, 5)
        from pairs in (from name in Gen.Elements(QueryParameters)
                       from value in Gen.Frequency((4, QueryValue(name)), (1, Text))
                       from encoded in Utf8WithInvalidBytes(Gen.Constant(value)).Select(PercentEncode)
                       select name + "=" + encoded).ArrayOf(count)
        select new HttpCase("GET", route + "?" + string.Join('&', pairs), [], null);

    /// <summary>Values of the headers auto context and caching read, on inference requests and on events (whose properties they fill).</summary>
    public static Gen<HttpCase> ContextHeaderRequests =>
        from count in Gen.Choose(1, 6)
        from headers in (from name in Gen.Elements(ContextHeaders)
                         from value in Gen.Frequency((3, HeaderValue(name)), (2, Text.Select(Printable)))
                         select (name, value)).ArrayOf(count)
        from target in Gen.Choose(0, InferenceRoutes.Length)
        select target == InferenceRoutes.Length
            ? new HttpCase("POST", "/events/shop", headers, Encoding.UTF8.GetBytes(ValidEvents))
            : new HttpCase("GET", InferenceRoutes[target] + "?context=%7B%22city%22%3A%22x%22%7D", headers, null);

    /// <summary>Events bodies: valid skeletons with hostile fields, wholly hostile JSON, and either with bytes that are not UTF-8.</summary>
    public static Gen<HttpCase> EventsBodies =>
        from body in Utf8WithInvalidBytes(Gen.Frequency((4, EventsBody), (1, JsonValue(3))))
        select new HttpCase("POST", "/events/shop", [], body);

    /// <summary>Rerank bodies: arrays of item ids (up to past the 500 limit) with hostile members, or any JSON.</summary>
    public static Gen<HttpCase> RerankBodies =>
        from body in Utf8WithInvalidBytes(Gen.Frequency(
            (3, from count in Gen.Elements(0, 1, 3, 10, 500, 501)
                from items in Gen.Frequency((6, Gen.Choose(0, 29).Select(i => "\"i" + i + "\"")), (1, JsonString), (1, JsonValue(1))).ArrayOf(count)
                select "[" + string.Join(",", items) + "]"),
            (1, JsonValue(3))))
        select new HttpCase("POST", "/rerank-items/shop/rank/u1", [], body);

    private static Gen<string> QueryValue(string name) => name switch
    {
        "numResults" => Gen.Frequency((2, Gen.Elements("1", "25", "500", "0", "501", "+5", " 5", "5.0", "0x10")), (2, JsonNumber)),
        "filterValues" or "context" => Gen.Frequency(
            (4, JsonObject(Gen.Elements("A", "GENRE", "KEY_1", "city", "a b", "\uD800", ""), Gen.Frequency((3, JsonString), (1, JsonValue(1))))),
            (2, JsonValue(2))),
        "decorateItems" or "syntheticUser" => Gen.Elements("true", "no", "1", "0", "", "TRUE", "maybe"),
        "filter" => Gen.Elements("by-genre", "arn:aws:personalize:us-east-1:123456789012:filter/x", "arn:aws:personalize:us-east-1:1:filter/x", "a b"),
        "feature" => Gen.Elements("home", "nope", ""),
        "decorateFields" => Gen.Elements("name,price", "name", ",", ",,,", "genre,genre"),
        _ => Gen.Elements("u1", "u2", "", " "),
    };

    private static Gen<string> HeaderValue(string name) => name switch
    {
        "cloudfront-viewer-latitude" or "x-score" => Gen.Elements(EdgeNumbers),
        "cloudfront-viewer-time-zone" => Gen.Elements(
            "Europe/Paris", "America/St_Johns", "Etc/GMT+12", "Etc/GMT-14", "Etc/GMT+99", "../../etc/passwd", "UTC", "", "Pacific/Kiritimati", new string('Z', 5000)),
        "if-none-match" => Gen.Elements("*", "\"abc\"", "W/\"abc\"", "\"", "\"a\", \"b\", *", string.Join(", ", Enumerable.Repeat("\"x\"", 2000)), "W/", "\"\\\""),
        "cloudfront-is-mobile-viewer" => Gen.Elements("true", "false", "TRUE", ""),
        "x-genre" => Gen.Elements("rock", "jazz,pop", "\"", "\\", "rock\",\"jazz"),
        _ => Text.Select(Printable),
    };

    /// <summary>HttpClient sends only visible ASCII in headers; the raw-socket properties send the rest.</summary>
    private static string Printable(string text) => new(text.Select(c => c is >= ' ' and <= '~' ? c : (char)(' ' + (c % 95))).ToArray());

    private static Gen<string> Member(string name, Gen<string> valid, int hostileOneIn = 4) =>
        from hostile in Chance(hostileOneIn)
        from value in hostile ? JsonValue(2) : valid
        select Quote(name) + ":" + value;

    /// <summary>Present (most of the time) or left out.</summary>
    private static Gen<string> Optional(Gen<string> member, int absentOneIn = 3) =>
        from absent in Chance(absentOneIn)
        from text in member
        select absent ? "" : text;

    private static string ObjectOf(IEnumerable<string> members) => "{" + string.Join(",", members.Where(m => m.Length > 0)) + "}";

    private static readonly string[] DateEdges =
    [
        "\"2026-12-01T10:00:00Z\"", "\"9999-12-31T23:59:59.9999999Z\"", "\"9999-12-31T23:59:59.9999999-14:00\"", "\"9999-12-31T23:59:59+00:00\"",
        "\"0001-01-01T00:00:00+14:00\"", "\"0001-01-01T00:00:00Z\"", "\"1969-12-31T23:59:59Z\"", "\"+275760-09-13T00:00:00Z\"", "\"2026-02-30T00:00:00Z\"",
        "\"253402300799.9999\"", "\"1e309\"", "\"-0\"", "\"NaN\"",
    ];

    private static Gen<string> PropertiesValue { get; } = Gen.Frequency(
        (3, Gen.Constant("""{"color":"red","size":3}""")),
        (2, JsonObject(Gen.Elements("color", "deviceType", "city", "a", "\uD800"), JsonValue(1))),
        (2, JsonObject(Gen.Elements("color", "deviceType", "a"), JsonValue(1)).Select(Quote)),
        (1, Gen.Elements("\"\"", "\"[1]\"", "\"{\\\"a\\\":1,\\\"a\\\":2}\"", "\"{\\\"a\\\":\\\"\\\\uD800\\\"}\"", "{\"a\":{\"b\":1,\"b\":2}}", "{\"deviceType\":1,\"deviceType\":2}")));

    private static Gen<string> Event { get; } =
        from members in Gen.CollectToArray(new[]
        {
            Optional(Member("eventId", JsonString)),
            Member("eventType", Gen.Elements("\"click\"", "\"purchase\""), hostileOneIn: 8),
            Optional(Member("eventValue", JsonNumber)),
            Optional(Member("itemId", Gen.Choose(0, 29).Select(i => "\"i" + i + "\""))),
            Optional(Member("properties", PropertiesValue)),
            Optional(Member("sentAt", Gen.Frequency((1, Gen.Constant("1764633600")), (2, JsonNumber), (2, Gen.Elements(DateEdges))))),
            Optional(Member("recommendationId", JsonString)),
            Optional(Member("impression", Gen.Choose(0, 27).SelectMany(n => JsonString.ArrayOf(n)).Select(ids => "[" + string.Join(",", ids) + "]"))),
            Optional(Member("metricAttribution", JsonString.Select(source => "{\"eventAttributionSource\":" + source + "}"))),
            Optional(Member("colour", JsonString), absentOneIn: 8),
        })
        from repeat in Chance(8)
        select ObjectOf(repeat ? [.. members, members[1]] : members);

    private static Gen<string> EventsBody { get; } =
        from members in Gen.CollectToArray(new[]
        {
            Member("sessionId", Gen.Constant("\"s-1\""), hostileOneIn: 6),
            Optional(Member("userId", Gen.Elements("\"u1\"", "\"u2\"", "\"u3\""), hostileOneIn: 6)),
            Member("eventList", Gen.Choose(0, 3).SelectMany(n => Event.ArrayOf(n)).Select(events => "[" + string.Join(",", events) + "]"), hostileOneIn: 10),
            Optional(Member(
                "experimentConversions",
                (from metric in JsonString from value in JsonNumber select $$"""[{"recommender":"ab","feature":"home","metric":{{metric}},"value":{{value}}}]"""),
                hostileOneIn: 3), absentOneIn: 2),
            Optional(Member("trackingId", JsonString), absentOneIn: 10),
        })
        from repeat in Chance(10)
        select ObjectOf(repeat ? [.. members, members[0]] : members);
}

/// <summary>One request: method, path and query as sent (percent-encoded), headers, and the body bytes.</summary>
internal sealed record HttpCase(string Method, string PathAndQuery, (string Name, string Value)[] Headers, byte[]? Body)
{
    public HttpRequestMessage ToMessage()
    {
        var message = new HttpRequestMessage(new HttpMethod(Method), PathAndQuery);
        foreach (var (name, value) in Headers)
        {
            message.Headers.TryAddWithoutValidation(name, value);
        }

        if (Body is not null)
        {
            message.Content = new ByteArrayContent(Body);
            message.Content.Headers.ContentType = new("application/json");
        }

        return message;
    }

    public override string ToString()
    {
        var text = new StringBuilder().Append(Method).Append(' ').Append(Shorten(PathAndQuery));
        foreach (var (name, value) in Headers)
        {
            text.Append(" | ").Append(name).Append(": ").Append(Shorten(value));
        }

        if (Body is not null)
        {
            text.Append(" | body (").Append(Body.Length).Append(" bytes): ").Append(Shorten(Encoding.UTF8.GetString(Body)));
        }

        return text.ToString();
    }

    private static string Shorten(string text) => FuzzBudget.Shorten(text);
}
