using System.Net;
using System.Text;
using System.Text.Json;
using Xunit;

namespace Personalization.Api.Tests.Fuzz;

/// <summary>Each class of malformed input that used to answer 500 now answers a 4xx JSON error that names the field and the problem.</summary>
[Collection(FuzzCollection.Name)]
public sealed class MalformedInputClassesTests(FuzzSilo silo)
{
    [Theory]
    [InlineData("""{"sessionId":"\uD800","eventList":[{"eventType":"click"}]}""", "sessionId: holds a lone UTF-16 surrogate escape")]
    [InlineData("""{"sessionId":"s","eventList":[{"eventType":"click","properties":{"\uDC00":1}}]}""", "eventList[0].properties: a key holds a lone UTF-16 surrogate escape")]
    [InlineData("""{"sessionId":"s","eventList":[{"eventType":"click","sentAt":253402300799.9999}]}""", "eventList[0].sentAt: must be epoch seconds or an ISO-8601 date-time between 1970 and 9999")]
    [InlineData("""{"sessionId":"s","eventList":[{"eventType":"click","properties":{"color":"red","color":"blue"}}]}""", "eventList[0].properties.color: duplicate key")]
    [InlineData("""{"sessionId":"s","eventList":[{"eventType":"click","properties":"{\"deviceType\":1,\"deviceType\":2}"}]}""", "eventList[0].properties.deviceType: duplicate key")]
    public async Task Events_bodies(string body, string expected)
    {
        using var response = await silo.Client.PostAsync("/events/shop", new StringContent(body, Encoding.UTF8, "application/json"));

        await AssertErrorAsync(response, HttpStatusCode.BadRequest, "InvalidEvents", expected);
    }

    [Fact]
    public async Task An_events_body_with_bytes_that_are_not_utf8()
    {
        byte[] body = [.. "{\"sessionId\":\"s"u8, 0xED, 0xA0, 0x80, .. "\",\"eventList\":[{\"eventType\":\"click\"}]}"u8];
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new("application/json");

        using var response = await silo.Client.PostAsync("/events/shop", content);

        await AssertErrorAsync(response, HttpStatusCode.BadRequest, "InvalidEvents", "sessionId: holds bytes that are not valid UTF-8");
    }

    [Theory]
    [InlineData("context", """{"city":"\uD800"}""", "context.city: holds a lone UTF-16 surrogate escape")]
    [InlineData("context", """{"city":"a","city":"b"}""", "context.city: duplicate key")]
    [InlineData("filterValues", """{"GENRE":"\"rock\"","GENRE":"\"jazz\""}""", "filterValues.GENRE: duplicate key")]
    public async Task Json_valued_query_parameters(string name, string json, string expected)
    {
        using var response = await silo.Client.GetAsync($"/recommend-items/shop/ab/u1?{name}={Uri.EscapeDataString(json)}");

        await AssertErrorAsync(response, HttpStatusCode.BadRequest, "InvalidParameter", expected);
    }

    [Fact]
    public async Task Json_nested_past_the_depth_limit_in_a_query_parameter()
    {
        var json = string.Concat(Enumerable.Repeat("{\"a\":", 100)) + "1" + new string('}', 100);

        using var response = await silo.Client.GetAsync($"/recommend-items/shop/ab/u1?context={Uri.EscapeDataString(json)}");

        await AssertErrorAsync(response, HttpStatusCode.BadRequest, "InvalidParameter", "not valid JSON: The maximum configured depth of 64 has been exceeded");
    }

    [Fact]
    public async Task A_rerank_body_with_a_lone_surrogate()
    {
        using var response = await silo.Client.PostAsync("/rerank-items/shop/rank/u1", new StringContent("""["i1","\uD800"]""", Encoding.UTF8, "application/json"));

        await AssertErrorAsync(response, HttpStatusCode.BadRequest, "InvalidItemIds", "body[1]: holds a lone UTF-16 surrogate escape");
    }

    [Theory]
    [InlineData("10000000000000000")]
    [InlineData("FFFFFFFFFFFFFFFFFFFF")]
    [InlineData("zz")]
    public async Task A_chunked_body_with_an_impossible_chunk_size(string size)
    {
        var request = Encoding.ASCII.GetBytes(
            $"POST /events/shop HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n{size}\r\n{ClientRequests.ValidEvents}\r\n0\r\n\r\n");

        var response = await silo.SendRawAsync(request);

        Assert.True(response.Status == 400, $"[{response.Status}] {response.Text}\n{silo.LoggedErrors()}");
        var body = response.Text[(response.Text.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..];
        if (response.Text.Contains("Transfer-Encoding: chunked", StringComparison.OrdinalIgnoreCase))
        {
            // The app's answer, itself chunked: one chunk holds the JSON error.
            body = body[(body.IndexOf("\r\n", StringComparison.Ordinal) + 2)..body.LastIndexOf("\r\n0\r\n", StringComparison.Ordinal)];
            using var error = JsonDocument.Parse(body);
            Assert.Equal("BadRequest", error.RootElement.GetProperty("code").GetString());
            Assert.Contains("chunk", error.RootElement.GetProperty("message").GetString(), StringComparison.OrdinalIgnoreCase);
        }
    }

    private static async Task AssertErrorAsync(HttpResponseMessage response, HttpStatusCode status, string code, string message)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{(int)response.StatusCode} {body}");
        using var error = JsonDocument.Parse(body);
        Assert.Equal(code, error.RootElement.GetProperty("code").GetString());
        Assert.Contains(message, error.RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
    }
}
