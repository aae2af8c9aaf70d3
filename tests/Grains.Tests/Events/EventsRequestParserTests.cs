using Personalization.Grains.Events;
using Personalization.TestSupport;
using Xunit;
using static Personalization.Grains.Tests.Events.EventFixtures;

namespace Personalization.Grains.Tests.Events;

public sealed class EventsRequestParserTests
{
    private static readonly ManualTimeProvider Time = new();
    private readonly EventsRequestParser _parser = new(Time, new EventsRequestLimits { MaxEventsPerRequest = 3, MaxBodyBytes = 4096 });

    private string[] Errors(string json)
    {
        var result = _parser.Parse(Utf8(json));
        Assert.False(result.IsValid);
        return result.Errors.Select(e => e.ToString()).ToArray();
    }

    [Fact]
    public void Reads_every_field_and_normalizes_properties_and_sentAt()
    {
        var result = _parser.Parse(Utf8("""
            {"sessionId":"s1","userId":"u1","eventList":[
              {"eventId":"e1","eventType":"click","eventValue":2.5,"itemId":"i1","properties":{ "color" : "red", "n": 1 },
               "recommendationId":"r1","impression":["i1","i2"],"sentAt":1767614400.5,
               "metricAttribution":{"eventAttributionSource":"home page"}},
              {"eventType":"view","properties":"{\"a\":1}","sentAt":"2026-01-05T12:00:00Z"},
              {"eventType":"buy"}]}
            """));

        Assert.True(result.IsValid, string.Join("; ", result.Errors));
        var request = result.Request!;
        Assert.Equal(("s1", "u1"), (request.SessionId, request.UserId));
        var first = request.EventList[0];
        Assert.Equal("""{"color":"red","n":1}""", first.Properties);
        Assert.Equal(2.5f, first.EventValue);
        Assert.Equal(["i1", "i2"], first.Impression!);
        Assert.Equal("home page", first.MetricAttribution!.EventAttributionSource);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1767614400500), first.SentAt);
        Assert.Equal("""{"a":1}""", request.EventList[1].Properties);
        Assert.Equal(new DateTimeOffset(2026, 1, 5, 12, 0, 0, TimeSpan.Zero), request.EventList[1].SentAt);
        Assert.Equal(Time.GetUtcNow(), request.EventList[2].SentAt);
        Assert.Null(request.ExperimentConversionsBody);
    }

    [Fact]
    public void Reports_every_problem_with_its_path()
    {
        var errors = Errors("""
            {"userId":"","eventList":[
              {"eventValue":"high","itemId":5},
              {"eventType":"x","impression":[],"recommendationId":"0123456789012345678901234567890123456789X"},
              7]}
            """);

        Assert.Contains("userId: must be 1 to 256 characters long, got 0", errors);
        Assert.Contains("eventList[0].eventValue: must be a number within the float range, got a string", errors);
        Assert.Contains("eventList[0].itemId: must be a string of 1 to 256 characters, got a number", errors);
        Assert.Contains("eventList[0].eventType: required, a string of 1 to 256 characters", errors);
        Assert.Contains("eventList[1].impression: must hold 1 to 25 item ids, got 0", errors);
        Assert.Contains("eventList[1].recommendationId: must be 1 to 40 characters long, got 41", errors);
        Assert.Contains("eventList[2]: must be an event object, got a number", errors);
        Assert.Contains("sessionId: required, a string of 1 to 256 characters", errors);
    }

    [Fact]
    public void Rejects_unknown_and_duplicate_fields_at_every_level()
    {
        var errors = Errors("""
            {"sessionId":"s","trackingId":"t","eventList":[{"eventType":"a","eventType":"b","colour":"red",
             "metricAttribution":{"eventAttributionSource":"x","extra":1}}]}
            """);

        Assert.Contains(errors, e => e.StartsWith("trackingId: unknown field", StringComparison.Ordinal));
        Assert.Contains("eventList[0].eventType: duplicate key", errors);
        Assert.Contains(errors, e => e.StartsWith("eventList[0].colour: unknown field", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("eventList[0].metricAttribution.extra: unknown field", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("""{"sessionId":"s","eventList":[]}""", "eventList: must hold 1 to 3 events, got none")]
    [InlineData("""{"sessionId":"s"}""", "eventList: required, 1 to 3 events")]
    [InlineData("""{"sessionId":"s","eventList":[{"eventType":"a"},{"eventType":"a"},{"eventType":"a"},{"eventType":"a"}]}""", "eventList: at most 3 events per request, got 4")]
    [InlineData("""{"sessionId":"s","eventList":[{"eventType":"a","properties":"[1]"}]}""", "eventList[0].properties: must be a JSON object, or a string holding one")]
    [InlineData("""{"sessionId":"s","eventList":[{"eventType":"a","properties":""}]}""", "eventList[0].properties: must be 1 to 1024 characters as a JSON string, got 0")]
    [InlineData("""{"sessionId":"s","eventList":[{"eventType":"a","sentAt":"yesterday"}]}""", "eventList[0].sentAt: must be epoch seconds or an ISO-8601 date-time, got 'yesterday'")]
    [InlineData("""{"sessionId":"s","eventList":[{"eventType":"a","sentAt":-5}]}""", "eventList[0].sentAt: must be epoch seconds or an ISO-8601 date-time between 1970 and 9999, got -5")]
    [InlineData("""{"sessionId":"s","eventList":[{"eventType":"a","eventValue":1e39}]}""", "eventList[0].eventValue: must be a number within the float range, got a number")]
    [InlineData("""{"sessionId":"s","eventList":[{"eventType":"a","metricAttribution":{"eventAttributionSource":"  "}}]}""", "eventList[0].metricAttribution.eventAttributionSource: must be printable ASCII with at least one non-space character")]
    [InlineData("""{"sessionId":"s","eventList":[{"eventType":"a","metricAttribution":{}}]}""", "eventList[0].metricAttribution.eventAttributionSource: required, a string of 1 to 1024 characters")]
    [InlineData("""{"sessionId":"s","eventList":[{"eventType":"a","impression":["x",""]}]}""", "eventList[0].impression[1]: must be 1 to 256 characters long, got 0")]
    [InlineData("""[1]""", "body: must be a JSON object {sessionId, userId?, eventList[]}, got an array")]
    [InlineData("""{"sessionId":"s","eventList":[{"eventType":"a","sentAt":253402300799.9999}]}""", "eventList[0].sentAt: must be epoch seconds or an ISO-8601 date-time between 1970 and 9999, got 253402300799.9999")]
    [InlineData("""{"sessionId":"s","eventList":[{"eventType":"a","sentAt":"1969-12-31T23:59:59Z"}]}""", "eventList[0].sentAt: must be epoch seconds or an ISO-8601 date-time between 1970 and 9999, got '1969-12-31T23:59:59Z'")]
    [InlineData("""{"sessionId":"\uD800","eventList":[{"eventType":"a"}]}""", "sessionId: holds a lone UTF-16 surrogate escape (\\uD800-\\uDFFF without its pair)")]
    [InlineData("""{"sessionId":"s","eventList":[{"eventType":"a","properties":{"a":{"b":1,"b":2}}}]}""", "eventList[0].properties.a.b: duplicate key")]
    [InlineData("""{"sessionId":"s","eventList":[{"eventType":"a","properties":"{\"a\":1,\"a\":2}"}]}""", "eventList[0].properties.a: duplicate key")]
    [InlineData("""{"sessionId":"s","eventList":[{"eventType":"a","properties":"{\"\\uDC00\":1}"}]}""", "eventList[0].properties: a key holds a lone UTF-16 surrogate escape (\\uD800-\\uDFFF without its pair)")]
    public void Reports_the_rule_broken(string json, string expected) => Assert.Contains(expected, Errors(json));

    [Fact]
    public void Checks_lengths_against_the_model()
    {
        var longId = new string('s', 257);
        Assert.Contains("sessionId: must be 1 to 256 characters long, got 257", Errors($$"""{"sessionId":"{{longId}}","eventList":[{"eventType":"a"}]}"""));
        var properties = "{\"k\":\"" + new string('p', 1020) + "\"}";
        Assert.Contains(
            "eventList[0].properties: must be 1 to 1024 characters as a JSON string, got 1028",
            Errors($$"""{"sessionId":"s","eventList":[{"eventType":"a","properties":{{properties}}}]}"""));
        var impression = string.Join(",", Enumerable.Range(0, 26).Select(i => $"\"i{i}\""));
        Assert.Contains("eventList[0].impression: must hold 1 to 25 item ids, got 26", Errors($$"""{"sessionId":"s","eventList":[{"eventType":"a","impression":[{{impression}}]}]}"""));
    }

    [Fact]
    public void Reports_invalid_json_and_trailing_content_without_throwing()
    {
        Assert.StartsWith("body: not valid JSON", Errors("""{"sessionId":"s",""")[0], StringComparison.Ordinal);
        Assert.StartsWith("body: not valid JSON", Errors("")[0], StringComparison.Ordinal);
        Assert.StartsWith("body: not valid JSON", Errors("""{"sessionId":"s","eventList":[{"eventType":"a"}]} x""")[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Minifies_an_object_properties_value_but_not_the_strings_inside_it()
    {
        var result = _parser.Parse(Utf8("""
            {"sessionId":"s","eventList":[{"eventType":"a","properties":{ "say" : "a \"quoted\" word\\" ,
              "list" : [ 1, { "x" : "y z" } ] }}]}
            """));

        Assert.True(result.IsValid, string.Join("; ", result.Errors));
        Assert.Equal("""{"say":"a \"quoted\" word\\","list":[1,{"x":"y z"}]}""", result.Request!.EventList[0].Properties);
    }

    [Fact]
    public void Refuses_a_body_over_the_size_limit()
    {
        var result = _parser.Parse(new byte[4097]);
        Assert.Equal(EventsParseStatus.TooLarge, result.Status);
        Assert.Equal("body: larger than the limit of 4096 bytes", result.Errors.Single().ToString());
    }

    [Fact]
    public void Accepts_a_conversions_only_request_and_passes_the_body_through()
    {
        var result = _parser.Parse(Utf8("""{"sessionId":"s","userId":"u","experimentConversions":[{"recommender":"r"}]}"""));

        Assert.True(result.IsValid, string.Join("; ", result.Errors));
        Assert.Empty(result.Request!.EventList);
        var body = result.Request.ExperimentConversionsBody!.Value;
        Assert.Equal("r", body.GetProperty("experimentConversions")[0].GetProperty("recommender").GetString());
        Assert.Equal("u", body.GetProperty("userId").GetString());
    }

    [Fact]
    public void Defaults_to_100_events_per_request_and_256_KiB()
    {
        Assert.Equal(100, EventsRequestLimits.Default.MaxEventsPerRequest);
        Assert.Equal(256 * 1024, EventsRequestLimits.Default.MaxBodyBytes);
    }
}
