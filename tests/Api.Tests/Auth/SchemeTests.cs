using System.Net;
using Microsoft.Extensions.Configuration;
using Personalization.Api.Auth;
using Personalization.Api.Tests.Cluster;
using Personalization.Api.Tests.Hosting;
using Personalization.TestSupport;
using Xunit;

namespace Personalization.Api.Tests.Auth;

/// <summary>Each scheme on its own, the key file, the admin listener, and the settings' validation.</summary>
public sealed class SchemeTests
{
    [Fact]
    public async Task With_no_settings_every_endpoint_stays_open()
    {
        await using var cluster = await TestCluster.StartAsync();

        Assert.Equal(HttpStatusCode.OK, (await cluster.Client.GetApiAsync("/admin/config")).Status);
        var response = await cluster.Client.GetApiAsync("/recommend-items/fake/picks/open-user");
        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.False(response.Headers.ContainsKey("Vary"));
    }

    [Fact]
    public async Task ApiKey_alone_takes_keys_from_a_watched_file_and_ignores_bearer_tokens()
    {
        var folder = TestDirectories.Create("keys");
        var file = Path.Combine(folder, "keys.json");
        await File.WriteAllTextAsync(file, KeyFile(("first", "key-first-000000")));
        await using var cluster = await TestCluster.StartAsync(new TestClusterOptions
        {
            Settings = new Dictionary<string, string> { ["Auth:Schemes"] = "apiKey", ["Auth:ApiKeys:File"] = file },
        });
        var client = cluster.Client;

        Assert.Equal(HttpStatusCode.OK, (await client.GetApiAsync("/recommend-items/fake/picks/k-user", ("X-Api-Key", "key-first-000000"))).Status);
        var bearer = await client.GetApiAsync("/recommend-items/fake/picks/k-user", ("Authorization", "Bearer abc.def.ghi"));
        Assert.Equal(HttpStatusCode.Unauthorized, bearer.Status);
        Assert.Equal("ApiKey header=\"X-Api-Key\"", bearer.Headers["WWW-Authenticate"]);

        // A rotation: the new key works and the old one stops, without a restart.
        await File.WriteAllTextAsync(file, KeyFile(("second", "key-second-00000")));
        await TestCluster.WaitUntilAsync(
            () => client.GetApiAsync("/recommend-items/fake/picks/k-user", ("X-Api-Key", "key-second-00000")).GetAwaiter().GetResult().Status == HttpStatusCode.OK,
            () => "the key added to the file was never accepted");
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetApiAsync("/recommend-items/fake/picks/k-user", ("X-Api-Key", "key-first-000000"))).Status);

        // A broken file keeps the keys in force.
        await File.WriteAllTextAsync(file, "{ not json");
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.OK, (await client.GetApiAsync("/recommend-items/fake/picks/k-user", ("X-Api-Key", "key-second-00000"))).Status);
    }

    [Fact]
    public async Task Jwt_alone_discovers_keys_from_an_authority_and_ignores_api_keys()
    {
        await using var issuer = await JwksServer.StartAsync();
        await using var cluster = await TestCluster.StartAsync(new TestClusterOptions
        {
            Settings = new Dictionary<string, string>
            {
                ["Auth:Schemes"] = "jwt",
                ["Auth:Jwt:Authority"] = issuer.Address,
                ["Auth:Jwt:Audience"] = TestTokens.Audience,
                ["Auth:Jwt:UserIdClaim"] = "sub",
                ["Auth:Jwt:ScopeClaim"] = "scope",
            },
        });
        var tokens = new TestTokens(issuer, cluster.Time);

        Assert.Equal(HttpStatusCode.OK, (await cluster.Client.GetApiAsync("/recommend-items/fake/picks/erin", ("Authorization", "Bearer " + tokens.User("erin")))).Status);
        Assert.Equal(HttpStatusCode.OK, (await cluster.Client.GetApiAsync("/recommend-items/fake/picks/erin", ("Authorization", "Bearer " + tokens.User("erin", key: issuer.Ecdsa)))).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await cluster.Client.GetApiAsync("/recommend-items/fake/picks/frank", ("Authorization", "Bearer " + tokens.User("erin")))).Status);
        var keyed = await cluster.Client.GetApiAsync("/recommend-items/fake/picks/erin", ("X-Api-Key", "anything"));
        Assert.Equal(HttpStatusCode.Unauthorized, keyed.Status);
        Assert.Equal("Bearer", keyed.Headers["WWW-Authenticate"]);
    }

    [Fact]
    public async Task Before_any_key_was_fetched_an_unreachable_issuer_is_503_not_500()
    {
        var issuer = await JwksServer.StartAsync();
        await using var cluster = await TestCluster.StartAsync(new TestClusterOptions
        {
            Settings = new Dictionary<string, string>
            {
                ["Auth:Schemes"] = "jwt",
                ["Auth:Jwt:JwksUrl"] = issuer.JwksUrl,
                ["Auth:Jwt:Issuer"] = issuer.Issuer,
                ["Auth:Jwt:Audience"] = TestTokens.Audience,
            },
        });
        var token = new TestTokens(issuer, cluster.Time).User("gina");
        issuer.Up = false;

        var response = await cluster.Client.GetApiAsync("/recommend-items/fake/picks/gina", ("Authorization", "Bearer " + token));

        Assert.True(response.Status == HttpStatusCode.ServiceUnavailable, response.ToString());
        Assert.Equal("SigningKeysUnavailable", response.Json.GetProperty("code").GetString());
        Assert.True(response.Headers.ContainsKey("Retry-After"));
        await issuer.DisposeAsync();
    }

    [Fact]
    public async Task The_admin_listener_alone_serves_admin_surfaces_by_local_port_not_by_host_header()
    {
        var folder = TestDirectories.Create("admin-listener");
        await File.WriteAllLinesAsync(Path.Combine(folder, "items.jsonl"), Enumerable.Range(0, 5).Select(i => $$"""{"id":"i{{i}}"}"""));
        var adminPort = NodeEmulator.FreeLoopbackPort();
        await using var silo = await LoopbackSilo.StartAsync(folder, LoopbackConfig,
        [
            "--Auth:Schemes=apiKey",
            "--Auth:ApiKeys:0:Name=ops",
            "--Auth:ApiKeys:0:Sha256=" + ApiKeyStore.HashOf("ops-key-00000000"),
            "--Auth:ApiKeys:0:Namespaces=*",
            "--Auth:ApiKeys:0:Scopes=admin,recommendations:read",
            FormattableString.Invariant($"--Auth:AdminListener=http://127.0.0.1:{adminPort}"),
        ]);
        using var admin = new HttpClient { BaseAddress = new Uri(FormattableString.Invariant($"http://127.0.0.1:{adminPort}")) };
        var key = ("X-Api-Key", "ops-key-00000000");

        Assert.Equal(HttpStatusCode.OK, (await admin.GetApiAsync("/admin/config", key)).Status);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetApiAsync("/metrics", key)).Status);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetApiAsync("/experiments/shop", key)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await admin.GetApiAsync("/metrics")).Status);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetApiAsync("/health")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetApiAsync("/recommend-items/shop/top/u1", key)).Status);

        Assert.Equal(HttpStatusCode.OK, (await silo.Client.GetApiAsync("/recommend-items/shop/top/u1", key)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await silo.Client.GetApiAsync("/admin/config", key)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await silo.Client.GetApiAsync("/experiments/shop", key)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await silo.Client.GetApiAsync("/metrics", key, ("Host", FormattableString.Invariant($"127.0.0.1:{adminPort}")))).Status);
    }

    [Fact]
    public void Bad_settings_are_refused_with_every_problem_named()
    {
        var exception = Assert.Throws<AuthConfigurationException>(() => AuthOptions.Read(Settings(new()
        {
            ["Auth:Schemes"] = "apiKey,jwt,saml",
            ["Auth:ApiKeys:0:Name"] = "k",
            ["Auth:ApiKeys:0:Sha256"] = "abc",
            ["Auth:ApiKeys:0:Scopes"] = "read",
            ["Auth:Jwt:JwksUrl"] = "http://issuer.example/jwks.json",
            ["Auth:AdminListener"] = "nope",
        })));

        var message = exception.Message;
        Assert.Contains("'saml' is not a scheme", message);
        Assert.Contains("Auth__ApiKeys__0__Sha256", message);
        Assert.Contains("Auth__ApiKeys__0__Namespaces is empty", message);
        Assert.Contains("'read' is not a scope", message);
        Assert.Contains("Auth__Jwt__Issuer", message);
        Assert.Contains("https", message);
        Assert.Contains("Auth__Jwt__Audience is required", message);
        Assert.Contains("Auth__AdminListener", message);
    }

    [Fact]
    public void A_missing_or_invalid_key_file_stops_start_up()
    {
        var folder = TestDirectories.Create("bad-keys");
        var invalid = Path.Combine(folder, "keys.json");
        File.WriteAllText(invalid, """{"keys":[{"name":"x","sha256":"00"}]}""");

        foreach (var (file, expected) in new[] { (Path.Combine(folder, "missing.json"), "missing.json"), (invalid, "64 hex digits") })
        {
            var exception = Assert.Throws<AuthConfigurationException>(() => AuthOptions.Read(Settings(new() { ["Auth:Schemes"] = "apiKey", ["Auth:ApiKeys:File"] = file })));
            Assert.Contains(expected, exception.Message);
        }
    }

    [Fact]
    public void No_settings_mean_no_scheme()
    {
        var options = AuthOptions.Read(Settings([]));

        Assert.Equal(AuthSchemes.None, options.Schemes);
        Assert.False(options.Enabled);
    }

    [Fact]
    public void A_key_is_found_by_its_hash_only()
    {
        var options = AuthOptions.Read(Settings(new()
        {
            ["Auth:Schemes"] = "apiKey",
            ["Auth:ApiKeys:0:Name"] = "k",
            ["Auth:ApiKeys:0:Sha256"] = ApiKeyStore.HashOf("secret-1").ToUpperInvariant(),
            ["Auth:ApiKeys:0:Namespaces:0"] = "a",
            ["Auth:ApiKeys:0:Namespaces:1"] = "b",
            ["Auth:ApiKeys:0:Scopes"] = "recommendations:read, events:write",
        }));
        using var store = new ApiKeyStore(options, Microsoft.Extensions.Logging.Abstractions.NullLogger<ApiKeyStore>.Instance);

        Assert.Equal("k", store.Find("secret-1")?.Name);
        Assert.Null(store.Find("secret-2"));
        Assert.Equal(["a", "b"], options.ApiKeys[0].Namespaces);
        Assert.Equal(["recommendations:read", "events:write"], options.ApiKeys[0].Scopes);
    }

    private const string LoopbackConfig = """
        { "version": "admin-1",
          "namespaces": { "shop": {
            "inferenceItemMetadata": { "type": "localdb", "path": "items.jsonl" },
            "recommenders": { "recommend-items": { "top": { "variations": { "t": { "type": "builtin", "algorithm": "trending" } } } } } } } }
        """;

    private static IConfiguration Settings(Dictionary<string, string?> values) => new ConfigurationBuilder().AddInMemoryCollection(values).Build();

    private static string KeyFile(params (string Name, string Key)[] keys) =>
        "{\"keys\":[" + string.Join(",", keys.Select(k => $$"""{"name":"{{k.Name}}","sha256":"{{ApiKeyStore.HashOf(k.Key)}}","namespaces":["*"],"scopes":["recommendations:read"]}""")) + "]}";
}
