using System.Text.Json.Nodes;
using Personalization.Api.Auth;
using Personalization.Api.Tests.Cluster;
using Xunit;

namespace Personalization.Api.Tests.Auth;

/// <summary>A silo with both schemes on (`Auth:Schemes=apiKey,jwt`), four keys and a local token issuer.</summary>
public sealed class AuthClusterFixture : IAsyncLifetime
{
    public const string AllKey = "key-all-0123456789";
    public const string FakeOnlyKey = "key-fake-only-0123456789";
    public const string AdminKey = "key-admin-0123456789";
    public const string EventsOnlyKey = "key-events-0123456789";

    private TestCluster? _cluster;
    private JwksServer? _issuer;

    public TestCluster Cluster => _cluster ?? throw new InvalidOperationException("not started");

    public JwksServer Issuer => _issuer ?? throw new InvalidOperationException("not started");

    public TestTokens Tokens => new(Issuer, Cluster.Time);

    /// <summary>The default test configuration, with an event target on namespace fake (async: a sync send would wait for the manual clock).</summary>
    public static string ConfigJson()
    {
        var config = TestConfig.Create();
        config["namespaces"]!["fake"]!["eventTargets"] = JsonNode.Parse("""[{ "type": "file", "path": "events.jsonl", "mode": "async" }]""");
        return config.ToJsonString();
    }

    public static Dictionary<string, string> KeySettings() => new()
    {
        ["Auth:ApiKeys:0:Name"] = "all",
        ["Auth:ApiKeys:0:Sha256"] = ApiKeyStore.HashOf(AllKey),
        ["Auth:ApiKeys:0:Namespaces"] = "*",
        ["Auth:ApiKeys:0:Scopes"] = "recommendations:read,events:write",
        ["Auth:ApiKeys:1:Name"] = "fake-only",
        ["Auth:ApiKeys:1:Sha256"] = ApiKeyStore.HashOf(FakeOnlyKey),
        ["Auth:ApiKeys:1:Namespaces:0"] = "fake",
        ["Auth:ApiKeys:1:Scopes:0"] = "recommendations:read",
        ["Auth:ApiKeys:2:Name"] = "admin",
        ["Auth:ApiKeys:2:Sha256"] = ApiKeyStore.HashOf(AdminKey),
        ["Auth:ApiKeys:2:Namespaces"] = "*",
        ["Auth:ApiKeys:2:Scopes"] = "admin",
        ["Auth:ApiKeys:3:Name"] = "events-only",
        ["Auth:ApiKeys:3:Sha256"] = ApiKeyStore.HashOf(EventsOnlyKey),
        ["Auth:ApiKeys:3:Namespaces"] = "*",
        ["Auth:ApiKeys:3:Scopes"] = "events:write",
    };

    public async Task InitializeAsync()
    {
        _issuer = await JwksServer.StartAsync();
        var settings = KeySettings();
        settings["Auth:Schemes"] = "apiKey,jwt";
        settings["Auth:Jwt:JwksUrl"] = _issuer.JwksUrl;
        settings["Auth:Jwt:Issuer"] = _issuer.Issuer;
        settings["Auth:Jwt:Audience"] = TestTokens.Audience;
        settings["Auth:Jwt:RefreshSeconds"] = "1";
        _cluster = await TestCluster.StartAsync(new TestClusterOptions { ConfigJson = ConfigJson(), Settings = settings });
    }

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }

        if (_issuer is not null)
        {
            await _issuer.DisposeAsync();
        }
    }
}
