using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Personalization.Api.Tests.Hosting;
using Xunit;

namespace Personalization.Api.Tests.Events;

/// <summary>POST /events through a real silo: delivery, invalidation of the user's cache, conversions, and every error class.</summary>
public sealed class EventsThroughApiTests : IAsyncLifetime
{
    private const string Config = """
        { "version": "ev-1",
          "cacheControl": { "userSpecified": { "maxAge": 600, "directives": "private" }, "syntheticUserSpecified": { "maxAge": 600, "directives": "public" }, "noUserSpecified": { "maxAge": 600, "directives": "public" } },
          "namespaces": {
            "shop": {
              "inferenceItemMetadata": { "type": "localdb", "path": "items.jsonl" },
              "recommenders": { "recommend-items": { "for-you": {
                "variations": { "personal": { "type": "builtin" }, "popular": { "type": "builtin", "algorithm": "trending" } },
                "experiments": { "home": { "method": "builtin", "arms": { "personal": { "weight": 1 }, "popular": { "weight": 0 } } } } } } },
              "eventTargets": [{ "type": "file", "path": "events.jsonl" }] },
            "no-targets": { "recommenders": { "recommend-items": { "top": { "variations": { "t": { "type": "builtin", "algorithm": "trending" } } } } } } } }
        """;

    private readonly string _folder = Directory.CreateTempSubdirectory("events-api-").FullName;
    private LoopbackSilo _silo = null!;

    private HttpClient _client => _silo.Client;

    public async Task InitializeAsync()
    {
        await File.WriteAllLinesAsync(Path.Combine(_folder, "items.jsonl"), Enumerable.Range(0, 20).Select(i => $$"""{"id":"i{{i}}","name":"Item {{i}}"}"""));
        _silo = await LoopbackSilo.StartAsync(_folder, Config);
    }

    public async Task DisposeAsync()
    {
        await _silo.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    private Task<HttpResponseMessage> PostEvents(string ns, string body) => _client.PostAsync($"/events/{ns}", new StringContent(body));

    [Fact]
    public async Task An_event_is_delivered_and_the_next_get_reflects_it()
    {
        using var before = await _client.GetAsync("/recommend-items/shop/for-you/alice?numResults=5");
        var etagBefore = before.Headers.ETag!.Tag;
        using (var cached = await _client.GetAsync("/recommend-items/shop/for-you/alice?numResults=5"))
        {
            Assert.Equal(etagBefore, cached.Headers.ETag!.Tag);
        }

        using var events = await PostEvents("shop", """{"sessionId":"s1","userId":"alice","eventList":[{"eventType":"purchase","itemId":"i3"},{"eventType":"click","itemId":"i4"}]}""");
        Assert.Equal(HttpStatusCode.OK, events.StatusCode);
        using var result = JsonDocument.Parse(await events.Content.ReadAsStringAsync());
        Assert.Equal(2, result.RootElement.GetProperty("accepted").GetInt32());
        Assert.Equal("delivered", result.RootElement.GetProperty("targets")[0].GetProperty("status").GetString());
        Assert.Equal(2, File.ReadAllLines(Path.Combine(_folder, "events.jsonl")).Length);

        using var after = await _client.GetAsync("/recommend-items/shop/for-you/alice?numResults=5");
        Assert.NotEqual(etagBefore, after.Headers.ETag!.Tag);
        var items = JsonDocument.Parse(await after.Content.ReadAsStringAsync()).RootElement.GetProperty("itemList").EnumerateArray().Select(i => i.GetProperty("itemId").GetString());
        Assert.DoesNotContain("i3", items);
    }

    [Fact]
    public async Task Conversions_credit_the_arm_the_user_was_exposed_to()
    {
        using (var exposed = await _client.GetAsync("/recommend-items/shop/for-you/bob"))
        {
            Assert.Contains("matchedExperiment", await exposed.Content.ReadAsStringAsync());
        }

        using var events = await PostEvents("shop", """{"sessionId":"s2","userId":"bob","eventList":[{"eventType":"click","itemId":"i1"}],"experimentConversions":[{"recommender":"for-you"}]}""");
        Assert.Equal(HttpStatusCode.OK, events.StatusCode);
        var report = await _client.GetFromJsonAsync<JsonElement>("/experiments/shop/home");
        var personal = report.GetProperty("arms").EnumerateArray().Single(a => a.GetProperty("variation").GetString() == "personal");
        Assert.Equal(1, personal.GetProperty("usersExposed").GetInt64());
        Assert.Equal(1, personal.GetProperty("conversions").GetInt64());
    }

    [Theory]
    [InlineData("shop", """{"sessionId":"s","eventList":[{"itemId":"i1"}]}""", HttpStatusCode.BadRequest, "eventList[0].eventType")]
    [InlineData("shop", """not json""", HttpStatusCode.BadRequest, "InvalidEvents")]
    [InlineData("shop", """{"sessionId":"s","userId":"u","eventList":[{"eventType":"click"}],"experimentConversions":[{"recommender":"nope"}]}""", HttpStatusCode.BadRequest, "experimentConversions[0]")]
    [InlineData("unknown", """{"sessionId":"s","eventList":[{"eventType":"click"}]}""", HttpStatusCode.NotFound, "NamespaceNotFound")]
    [InlineData("no-targets", """{"sessionId":"s","eventList":[{"eventType":"click"}]}""", HttpStatusCode.NotFound, "NamespaceEventTargetsNotFound")]
    public async Task Bad_requests_get_a_json_error_naming_the_problem(string ns, string body, HttpStatusCode status, string mentioned)
    {
        using var response = await PostEvents(ns, body);
        Assert.Equal(status, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Contains(mentioned, text);
        Assert.Equal("ev-1", Assert.Single(response.Headers.GetValues("X-Personalization-Config-Version")));
    }

    [Fact]
    public async Task An_oversized_body_is_413()
    {
        using var response = await PostEvents("shop", "{\"sessionId\":\"" + new string('x', 300 * 1024) + "\"}");
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }
}
