using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Configuration;
using Personalization.Api.Auth;
using Personalization.Api.Tests.Cluster;
using Personalization.Api.Tests.Hosting;
using Personalization.TestSupport;
using Xunit;

namespace Personalization.Api.Tests.Auth;

/// <summary>Issue 14 §3: rate limits per caller and per address, CORS, and Kestrel's request limits.</summary>
public sealed class AbuseLimitTests
{
    private const string KeyA = "key-a-0000000000";
    private const string KeyB = "key-b-0000000000";

    [Fact]
    public async Task Over_the_rate_limit_is_429_with_retry_after_per_caller_and_the_silo_stays_healthy()
    {
        await using var cluster = await TestCluster.StartAsync(new TestClusterOptions { Settings = Settings() });
        var client = cluster.Client;

        var responses = new List<ApiResponse>();
        for (var i = 0; i < 8; i++)
        {
            responses.Add(await client.GetApiAsync("/recommend-items/fake/picks/limited-user", ("X-Api-Key", KeyA)));
        }

        Assert.Equal(HttpStatusCode.OK, responses[0].Status);
        var limited = responses.FirstOrDefault(r => r.Status == HttpStatusCode.TooManyRequests);
        Assert.True(limited is not null, string.Join("; ", responses));
        Assert.True(int.Parse(limited.Headers["Retry-After"], System.Globalization.CultureInfo.InvariantCulture) >= 1);
        Assert.Equal("TooManyRequests", limited.Json.GetProperty("code").GetString());

        // Another caller has its own bucket; probes are never limited.
        Assert.Equal(HttpStatusCode.OK, (await client.GetApiAsync("/recommend-items/fake/picks/limited-user", ("X-Api-Key", KeyB))).Status);
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetApiAsync("/ready")).Status);
        }

        // Once the bucket refills the caller is served again.
        await TestCluster.WaitUntilAsync(
            () => client.GetApiAsync("/recommend-items/fake/picks/limited-user", ("X-Api-Key", KeyA)).GetAwaiter().GetResult().Status == HttpStatusCode.OK,
            () => "the limited caller was never served again");
    }

    [Fact]
    public async Task Requests_without_valid_credentials_are_limited_per_client_address()
    {
        await using var cluster = await TestCluster.StartAsync(new TestClusterOptions { Settings = Settings() });

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++)
        {
            statuses.Add((await cluster.Client.GetApiAsync("/recommend-items/fake/picks/u1", ("X-Api-Key", "guess-" + i))).Status);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, statuses[0]);
        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
        Assert.Equal(HttpStatusCode.OK, (await cluster.Client.GetApiAsync("/recommend-items/fake/picks/u1", ("X-Api-Key", KeyB))).Status);
    }

    [Fact]
    public async Task Cors_answers_a_preflight_without_credentials_for_allowed_origins_only()
    {
        await using var cluster = await TestCluster.StartAsync(new TestClusterOptions { Settings = Settings() });

        var preflight = await Preflight(cluster.Client, "https://shop.example");
        Assert.Equal(HttpStatusCode.NoContent, preflight.Status);
        Assert.Equal("https://shop.example", preflight.Headers["Access-Control-Allow-Origin"]);
        Assert.Contains("x-api-key", preflight.Headers["Access-Control-Allow-Headers"], StringComparison.OrdinalIgnoreCase);
        Assert.Equal("600", preflight.Headers["Access-Control-Max-Age"]);
        Assert.False(preflight.Headers.ContainsKey("Access-Control-Allow-Credentials"));

        Assert.False((await Preflight(cluster.Client, "https://evil.example")).Headers.ContainsKey("Access-Control-Allow-Origin"));

        var get = await cluster.Client.GetApiAsync("/recommend-items/fake/picks/u1", ("X-Api-Key", KeyB), ("Origin", "https://shop.example"));
        Assert.Equal(HttpStatusCode.OK, get.Status);
        Assert.Equal("https://shop.example", get.Headers["Access-Control-Allow-Origin"]);
        Assert.Contains("ETag", get.Headers["Access-Control-Expose-Headers"]);
    }

    [Fact]
    public async Task Oversized_url_headers_and_body_get_414_431_and_413()
    {
        var folder = TestDirectories.Create("limits");
        await File.WriteAllLinesAsync(Path.Combine(folder, "items.jsonl"), Enumerable.Range(0, 5).Select(i => $$"""{"id":"i{{i}}"}"""));
        await using var silo = await LoopbackSilo.StartAsync(folder, """
            { "version": "limits-1",
              "namespaces": { "shop": {
                "inferenceItemMetadata": { "type": "localdb", "path": "items.jsonl" },
                "recommenders": { "rerank-items": { "rank": { "variations": { "r": { "type": "builtin", "algorithm": "rerank" } } } } } } } }
            """,
            ["--Limits:MaxRequestBodyBytes=2048", "--Limits:MaxRequestLineBytes=1024", "--Limits:MaxRequestHeadersBytes=4096"]);

        Assert.Equal(HttpStatusCode.OK, (await silo.Client.PostJsonAsync("/rerank-items/shop/rank/u1", """["i1","i2"]""")).Status);
        Assert.Equal(414, await RawStatusAsync(silo.Address, "/rerank-items/shop/rank/u1/" + new string('a', 2000), []));
        Assert.Equal(431, await RawStatusAsync(silo.Address, "/health", [("X-Padding", new string('b', 5000))]));

        var body = "[" + string.Join(",", Enumerable.Range(0, 400).Select(i => $"\"i{i}\"")) + "]";
        var tooLarge = await silo.Client.PostJsonAsync("/rerank-items/shop/rank/u1", body);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.Status);
        Assert.Equal("Validation", tooLarge.Json.GetProperty("type").GetString());
        Assert.Equal(HttpStatusCode.OK, (await silo.Client.GetApiAsync("/health")).Status);
    }

    [Fact]
    public async Task A_request_over_its_time_budget_is_504_with_the_json_error()
    {
        // A sync event target answers only when its batch is flushed, which waits for the cluster's manual clock: the
        // request outlives its budget.
        var config = System.Text.Json.Nodes.JsonNode.Parse(AuthClusterFixture.ConfigJson())!;
        config["namespaces"]!["fake"]!["eventTargets"]![0]!["mode"] = "sync";
        await using var cluster = await TestCluster.StartAsync(new TestClusterOptions
        {
            ConfigJson = config.ToJsonString(),
            Settings = new Dictionary<string, string> { ["Limits:RequestTimeoutSeconds"] = "1" },
        });

        var response = await cluster.Client.PostJsonAsync("/events/fake", """{"sessionId":"s","userId":"slow","eventList":[{"eventType":"click","itemId":"a"}]}""");

        Assert.True(response.Status == HttpStatusCode.GatewayTimeout, response.ToString());
        Assert.Equal("RequestTimeout", response.Json.GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.OK, (await cluster.Client.GetApiAsync("/health")).Status);
    }

    [Fact]
    public void Bad_limit_settings_are_refused()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["RateLimits:Events:PermitsPerSecond"] = "fast",
            ["RateLimits:Admin:PermitsPerSecond"] = "0",
            ["Cors:AllowedOrigins"] = "not an origin",
        }).Build();

        var exception = Assert.Throws<AuthConfigurationException>(() => Api.Limits.AbuseLimitOptions.Read(configuration));

        Assert.Contains("RateLimits__Events__PermitsPerSecond", exception.Message);
        Assert.Contains("RateLimits__Admin", exception.Message);
        Assert.Contains("Cors__AllowedOrigins", exception.Message);
    }

    private static Task<ApiResponse> Preflight(HttpClient client, string origin) =>
        client.SendApiAsync(HttpMethod.Options, "/recommend-items/fake/picks/u1", null,
            ("Origin", origin), ("Access-Control-Request-Method", "GET"), ("Access-Control-Request-Headers", "x-api-key"));

    /// <summary>Over a socket: HttpClient refuses to send some of these requests at all.</summary>
    private static async Task<int> RawStatusAsync(string address, string path, (string Name, string Value)[] headers)
    {
        var (host, port) = (address.Split(':')[0], int.Parse(address.Split(':')[1], System.Globalization.CultureInfo.InvariantCulture));
        using var socket = new TcpClient();
        await socket.ConnectAsync(host, port);
        var stream = socket.GetStream();
        var request = new StringBuilder($"GET {path} HTTP/1.1\r\nHost: {address}\r\n");
        foreach (var (name, value) in headers)
        {
            request.Append(name).Append(": ").Append(value).Append("\r\n");
        }

        await stream.WriteAsync(Encoding.ASCII.GetBytes(request.Append("Connection: close\r\n\r\n").ToString()));
        using var reader = new StreamReader(stream, Encoding.ASCII);
        var statusLine = await reader.ReadLineAsync() ?? string.Empty;
        return int.Parse(statusLine.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
    }

    private static Dictionary<string, string> Settings() => new()
    {
        ["Auth:Schemes"] = "apiKey",
        ["Auth:ApiKeys:0:Name"] = "a",
        ["Auth:ApiKeys:0:Sha256"] = ApiKeyStore.HashOf(KeyA),
        ["Auth:ApiKeys:0:Namespaces"] = "*",
        ["Auth:ApiKeys:0:Scopes"] = "recommendations:read",
        ["Auth:ApiKeys:1:Name"] = "b",
        ["Auth:ApiKeys:1:Sha256"] = ApiKeyStore.HashOf(KeyB),
        ["Auth:ApiKeys:1:Namespaces"] = "*",
        ["Auth:ApiKeys:1:Scopes"] = "recommendations:read",
        ["RateLimits:Recommendations:PermitsPerSecond"] = "1",
        ["RateLimits:Recommendations:Burst"] = "3",
        ["RateLimits:Anonymous:PermitsPerSecond"] = "1",
        ["RateLimits:Anonymous:Burst"] = "2",
        ["Cors:AllowedOrigins"] = "https://shop.example",
    };
}
