using System.Net;
using Microsoft.AspNetCore.Routing;
using Personalization.Api.Tests.Cluster;
using Xunit;

namespace Personalization.Api.Tests.Auth;

/// <summary>Both schemes on: who may call what (issue 14 §1, §2), through the whole silo.</summary>
public sealed class AuthTests(AuthClusterFixture fixture) : IClassFixture<AuthClusterFixture>
{
    private HttpClient Client => fixture.Cluster.Client;

    private TestTokens Tokens => fixture.Tokens;

    private static (string, string) Key(string key) => ("X-Api-Key", key);

    private static (string, string) Bearer(string token) => ("Authorization", "Bearer " + token);

    private Task<ApiResponse> Get(string url, params (string, string)[] headers) => Client.SendApiAsync(HttpMethod.Get, url, null, headers);

    private Task<ApiResponse> Post(string url, string json, params (string, string)[] headers) => Client.SendApiAsync(HttpMethod.Post, url, json, headers);

    private static string Event(string? userId) =>
        userId is null
            ? """{"sessionId":"s-1","eventList":[{"eventType":"click","itemId":"a"}]}"""
            : $$"""{"sessionId":"s-1","userId":"{{userId}}","eventList":[{"eventType":"click","itemId":"a"}]}""";

    [Fact]
    public async Task No_endpoint_but_health_and_ready_answers_without_credentials()
    {
        // Every endpoint the app maps, so one added later is covered without editing this test.
        var endpoints = fixture.Cluster.GetService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();
        Assert.True(endpoints.Count >= 10, $"only {endpoints.Count} endpoints found");
        var open = new List<string>();
        foreach (var endpoint in endpoints)
        {
            var path = "/" + string.Join('/', endpoint.RoutePattern.PathSegments.Select(segment => string.Concat(segment.Parts.Select(part => part switch
            {
                Microsoft.AspNetCore.Routing.Patterns.RoutePatternLiteralPart literal => literal.Content,
                Microsoft.AspNetCore.Routing.Patterns.RoutePatternParameterPart parameter => parameter.Name == "ns" ? "fake" : "x1",
                _ => "x",
            }))));
            foreach (var method in endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["GET"])
            {
                var response = await Client.SendApiAsync(new HttpMethod(method), path, method == "POST" ? "[]" : null);
                if (path is "/health" or "/ready" || path.StartsWith("/health/", StringComparison.Ordinal))
                {
                    // Probes answer anyone, but with the status alone: the JSON detail is for admins.
                    Assert.Equal(HttpStatusCode.OK, response.Status);
                    Assert.Equal("Healthy", response.Body);
                }
                else if (response.Status != HttpStatusCode.Unauthorized)
                {
                    open.Add($"{method} {path}: {response}");
                }
                else
                {
                    Assert.Contains("Bearer", response.Headers["WWW-Authenticate"]);
                    Assert.Contains("ApiKey header=\"X-Api-Key\"", response.Headers["WWW-Authenticate"]);
                    Assert.Equal("MissingCredentials", response.Json.GetProperty("code").GetString());
                }
            }
        }

        Assert.Empty(open);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Get("/no-such-endpoint")).Status);
    }

    [Fact]
    public async Task A_valid_key_reads_any_user_and_the_answer_is_private_and_varies_on_credentials()
    {
        var response = await Get("/recommend-items/fake/picks/auth-user-1?numResults=2", Key(AuthClusterFixture.AllKey));

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal(["a", "b"], response.ItemIds);
        Assert.StartsWith("private", response.CacheControl);
        Assert.DoesNotContain("public", response.CacheControl);
        Assert.Contains("X-Api-Key", response.Headers["Vary"]);
        Assert.Contains("Authorization", response.Headers["Vary"]);

        // No-user responses are "public" in the cache policy; for a caller they become private too.
        var related = await Get("/related-items/fake/similar/c", Key(AuthClusterFixture.AllKey));
        Assert.Equal(HttpStatusCode.OK, related.Status);
        Assert.StartsWith("private", related.CacheControl);
        Assert.DoesNotContain("public", related.CacheControl);
    }

    [Fact]
    public async Task An_unknown_key_is_401_with_a_challenge_per_scheme_and_a_json_body()
    {
        var response = await Get("/recommend-items/fake/picks/auth-user-1", Key("not-a-key"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.Status);
        Assert.Contains("ApiKey", response.Headers["WWW-Authenticate"]);
        Assert.Contains("Bearer", response.Headers["WWW-Authenticate"]);
        Assert.Equal("InvalidCredentials", response.Json.GetProperty("code").GetString());
        Assert.Contains("X-Api-Key", response.Json.GetProperty("message").GetString());
        Assert.Equal("no-store", response.CacheControl);
    }

    [Fact]
    public async Task A_namespace_bound_key_is_403_on_another_namespace()
    {
        Assert.Equal(HttpStatusCode.OK, (await Get("/recommend-items/fake/picks/auth-user-2", Key(AuthClusterFixture.FakeOnlyKey))).Status);

        var response = await Get("/recommend-items/store/trending/auth-user-2", Key(AuthClusterFixture.FakeOnlyKey));

        Assert.Equal(HttpStatusCode.Forbidden, response.Status);
        Assert.Equal("Authorization", response.Json.GetProperty("type").GetString());
        Assert.Contains("namespace 'store'", response.Json.GetProperty("message").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, (await Post("/events/store", Event("u1"), Key(AuthClusterFixture.FakeOnlyKey))).Status);
    }

    [Fact]
    public async Task A_key_without_the_scope_is_403_naming_the_scope()
    {
        var read = await Get("/recommend-items/fake/picks/auth-user-3", Key(AuthClusterFixture.EventsOnlyKey));
        Assert.Equal(HttpStatusCode.Forbidden, read.Status);
        Assert.Contains("recommendations:read", read.Json.GetProperty("message").GetString());

        var write = await Post("/events/fake", Event("auth-user-3"), Key(AuthClusterFixture.FakeOnlyKey));
        Assert.Equal(HttpStatusCode.Forbidden, write.Status);
        Assert.Contains("events:write", write.Json.GetProperty("message").GetString());

        Assert.Equal(HttpStatusCode.Accepted, (await Post("/events/fake", Event("auth-user-3"), Key(AuthClusterFixture.EventsOnlyKey))).Status);
    }

    [Fact]
    public async Task A_user_token_reads_and_writes_for_its_own_user()
    {
        var token = Bearer(Tokens.User("alice"));

        var recommend = await Get("/recommend-items/fake/picks/alice", token);
        Assert.Equal(HttpStatusCode.OK, recommend.Status);
        Assert.StartsWith("private", recommend.CacheControl);
        Assert.Equal(HttpStatusCode.OK, (await Get("/rerank-items/fake/ranking/alice/a,b,c", token)).Status);
        Assert.Equal(HttpStatusCode.OK, (await Post("/rerank-items/fake/ranking/alice", """["a","b"]""", token)).Status);
        Assert.Equal(HttpStatusCode.OK, (await Get("/related-items/fake/similar/c?userId=alice", token)).Status);
        Assert.Equal(HttpStatusCode.OK, (await Get("/related-items/fake/similar/c", token)).Status);
        Assert.Equal(HttpStatusCode.Accepted, (await Post("/events/fake", Event("alice"), token)).Status);
    }

    [Fact]
    public async Task A_user_token_on_another_users_path_is_403()
    {
        var token = Bearer(Tokens.User("alice", key: fixture.Issuer.Ecdsa));
        var attempts = new (string What, Task<ApiResponse> Response)[]
        {
            ("recommend", Get("/recommend-items/fake/picks/bob", token)),
            ("rerank GET", Get("/rerank-items/fake/ranking/bob/a,b,c", token)),
            ("rerank POST", Post("/rerank-items/fake/ranking/bob", """["a","b"]""", token)),
            ("related-items with userId", Get("/related-items/fake/similar/c?userId=bob", token)),
            ("events", Post("/events/fake", Event("bob"), token)),
            ("events without userId", Post("/events/fake", Event(null), token)),
        };

        foreach (var (what, pending) in attempts)
        {
            var response = await pending;
            Assert.True(response.Status == HttpStatusCode.Forbidden, $"{what}: {response}");
            Assert.Equal("Authorization", response.Json.GetProperty("type").GetString());
            Assert.Contains("'alice'", response.Json.GetProperty("message").GetString());
        }

        Assert.Equal(0, fixture.Cluster.Backend.Requests.Count(r => r.UserId == "bob"));
    }

    [Fact]
    public async Task Bad_tokens_are_401_and_say_why()
    {
        var rogue = JwksServer.NewRsa("rogue-kid");
        var cases = new (string Name, string Token, string Reason)[]
        {
            ("expired", Tokens.User("alice", lifetime: TimeSpan.FromMinutes(-10)), "expired"),
            ("not yet valid", Tokens.User("alice", startsIn: TimeSpan.FromMinutes(10)), "not valid yet"),
            ("wrong issuer", Tokens.User("alice", issuerName: "https://evil.example"), "issuer"),
            ("wrong audience", Tokens.User("alice", audience: "another-app"), "not issued for this API"),
            ("wrong client_id", Tokens.User("alice", audience: "another-app", cognitoAccessToken: true), "not issued for this API"),
            ("alg none", Tokens.Unsigned("alice"), "signature"),
            ("HS256 with the public key", Tokens.HmacWithPublicKey("alice"), "RS256"),
            ("unknown kid", Tokens.User("alice", key: rogue), "kid"),
            ("not a JWT", "abc.def", "well-formed"),
        };

        foreach (var (name, token, reason) in cases)
        {
            var response = await Get("/recommend-items/fake/picks/alice", Bearer(token));
            Assert.True(response.Status == HttpStatusCode.Unauthorized, $"{name}: {response}");
            Assert.Contains("invalid_token", response.Headers["WWW-Authenticate"]);
            Assert.True(response.Json.GetProperty("message").GetString()!.Contains(reason, StringComparison.Ordinal), $"{name}: {response}");
        }
    }

    [Fact]
    public async Task A_cognito_access_token_is_accepted_by_client_id_and_a_service_scope_makes_it_a_service_principal()
    {
        var user = await Get("/recommend-items/fake/picks/carol", Bearer(Tokens.User("carol", cognitoAccessToken: true)));
        Assert.Equal(HttpStatusCode.OK, user.Status);

        var service = Bearer(Tokens.Service("personalization/recommendations:read"));
        Assert.Equal(HttpStatusCode.OK, (await Get("/recommend-items/fake/picks/anyone", service)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await Post("/events/fake", Event("anyone"), service)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await Get("/admin/config", service)).Status);
    }

    [Fact]
    public async Task Admin_surfaces_need_the_admin_scope()
    {
        foreach (var path in new[] { "/admin/config", "/metrics", "/experiments/fake/home-feed", "/experiments/fake" })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await Get(path)).Status);
            var keyed = await Get(path, Key(AuthClusterFixture.AllKey));
            Assert.True(keyed.Status == HttpStatusCode.Forbidden, $"{path}: {keyed}");
            Assert.Contains("'admin'", keyed.Json.GetProperty("message").GetString());
            Assert.Equal(HttpStatusCode.Forbidden, (await Get(path, Bearer(Tokens.User("alice")))).Status);
            var admin = await Get(path, Key(AuthClusterFixture.AdminKey));
            Assert.True(admin.Status == HttpStatusCode.OK, $"{path}: {admin}");
            Assert.Equal(HttpStatusCode.OK, (await Get(path, Bearer(Tokens.Service("admin")))).Status);
        }

        // The admin key is not a reader.
        Assert.Equal(HttpStatusCode.Forbidden, (await Get("/recommend-items/fake/picks/auth-user-4", Key(AuthClusterFixture.AdminKey))).Status);
    }

    [Fact]
    public async Task A_new_signing_key_is_fetched_once_for_a_burst_of_unknown_kids_and_cached_keys_survive_an_issuer_outage()
    {
        Assert.Equal(HttpStatusCode.OK, (await Get("/recommend-items/fake/picks/dave", Bearer(Tokens.User("dave")))).Status);

        // A burst of forged kids costs at most a refresh or two, not one fetch each.
        await Task.Delay(TimeSpan.FromSeconds(1.2));
        var before = fixture.Issuer.Fetches;
        var forgedTokens = Enumerable.Range(0, 30).Select(i => Bearer(Tokens.User("dave", key: JwksServer.NewEcdsa("forged-" + i)))).ToArray();
        var forged = forgedTokens.Select(token => Get("/recommend-items/fake/picks/dave", token)).ToArray();
        Assert.All(await Task.WhenAll(forged), r => Assert.Equal(HttpStatusCode.Unauthorized, r.Status));
        Assert.InRange(fixture.Issuer.Fetches - before, 0, 3);

        // The issuer rotates: a token signed with the new key is accepted once its kid triggers a refresh.
        var rotated = JwksServer.NewEcdsa("ec-2");
        fixture.Issuer.Publish(rotated);
        var token = Bearer(Tokens.User("dave", key: rotated));
        await TestCluster.WaitUntilAsync(
            () => Get("/recommend-items/fake/picks/dave", token).GetAwaiter().GetResult().Status == HttpStatusCode.OK,
            () => "a token signed with the rotated key was never accepted");

        // The issuer goes down: keys already fetched keep working, unknown ones are refused (never a 500).
        fixture.Issuer.Up = false;
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(1.2));
            Assert.Equal(HttpStatusCode.Unauthorized, (await Get("/recommend-items/fake/picks/dave", Bearer(Tokens.User("dave", key: JwksServer.NewRsa("during-outage"))))).Status);
            await Task.Delay(TimeSpan.FromSeconds(0.5));
            Assert.Equal(HttpStatusCode.OK, (await Get("/recommend-items/fake/picks/dave", Bearer(Tokens.User("dave")))).Status);
            Assert.Equal(HttpStatusCode.OK, (await Get("/recommend-items/fake/picks/dave", token)).Status);
        }
        finally
        {
            fixture.Issuer.Up = true;
        }
    }

    [Theory]
    [InlineData("/ready")]
    [InlineData("/health/ready")]
    [InlineData("/health/startup")]
    [InlineData("/health")]
    public async Task Probes_give_the_json_detail_to_admin_callers_only(string path)
    {
        var anonymous = await Get(path);
        var nonAdmin = await Get(path, Key(AuthClusterFixture.EventsOnlyKey));
        var admin = await Get(path, Key(AuthClusterFixture.AdminKey));

        Assert.Equal((HttpStatusCode.OK, "Healthy"), (anonymous.Status, anonymous.Body));
        Assert.Equal((HttpStatusCode.OK, "Healthy"), (nonAdmin.Status, nonAdmin.Body));
        Assert.Equal(HttpStatusCode.OK, admin.Status);
        Assert.Equal("Healthy", admin.Json.GetProperty("status").GetString());
        Assert.NotEmpty(admin.Json.GetProperty("checks").EnumerateObject());
        if (path != "/health")
        {
            Assert.Equal("Active", admin.Json.GetProperty("siloStatus").GetString());
            Assert.True(admin.Json.GetProperty("checks").TryGetProperty("membership", out _));
        }
    }

    [Fact]
    public async Task A_request_with_a_refused_credential_leaves_the_silo_healthy()
    {
        Assert.Equal(HttpStatusCode.OK, (await Get("/health")).Status);
        Assert.Equal(HttpStatusCode.OK, (await Get("/ready")).Status);
        Assert.Equal(HttpStatusCode.OK, (await Get("/openapi.json", Bearer(Tokens.User("alice")))).Status);
    }

    [Fact]
    public async Task The_api_description_declares_the_schemes_and_the_scope_of_each_operation()
    {
        var document = (await Get("/openapi.json", Key(AuthClusterFixture.AllKey))).Json;

        var schemes = document.GetProperty("components").GetProperty("securitySchemes");
        Assert.Equal("X-Api-Key", schemes.GetProperty("ApiKey").GetProperty("name").GetString());
        Assert.Equal("bearer", schemes.GetProperty("Bearer").GetProperty("scheme").GetString());
        Assert.Equal(2, document.GetProperty("security").GetArrayLength());
        var paths = document.GetProperty("paths");
        Assert.Equal("recommendations:read", paths.GetProperty("/recommend-items/fake/picks/{userId}").GetProperty("get").GetProperty("x-required-scope").GetString());
        Assert.Equal("events:write", paths.GetProperty("/events/fake").GetProperty("post").GetProperty("x-required-scope").GetString());
        Assert.Equal("admin", paths.GetProperty("/experiments/{namespace}/{feature}").GetProperty("get").GetProperty("x-required-scope").GetString());
        Assert.Equal("admin", paths.GetProperty("/experiments/{namespace}").GetProperty("get").GetProperty("x-required-scope").GetString());
        Assert.True(paths.GetProperty("/recommend-items/fake/picks/{userId}").GetProperty("get").GetProperty("responses").TryGetProperty("403", out _));
        Assert.Equal(0, paths.GetProperty("/health").GetProperty("get").GetProperty("security").GetArrayLength());

        // The Swagger UI page itself holds no data and loads without credentials; it asks for one to fetch the document.
        var ui = await Get("/swagger/index.html");
        Assert.Equal(HttpStatusCode.OK, ui.Status);
        var script = await Get("/swagger/index.js");
        Assert.Contains("personalization-credential", ui.Body + script.Body);
    }
}
