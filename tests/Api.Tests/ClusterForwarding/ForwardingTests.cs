using System.Net;
using Personalization.Api.Cluster;
using Personalization.Runtime.Cluster;
using Personalization.Api.Tests.Hosting;
using Personalization.TestSupport;
using Xunit;

namespace Personalization.Api.Tests.ClusterForwarding;

/// <summary>Two silos with static membership: a user's requests are served by the owner; with the owner gone, locally.</summary>
public sealed class ForwardingTests : IAsyncLifetime
{
    private const string Config = """
        { "version": "c-1",
          "cacheControl": { "userSpecified": { "maxAge": 10, "directives": "private" }, "syntheticUserSpecified": { "maxAge": 10, "directives": "public" }, "noUserSpecified": { "maxAge": 10, "directives": "public" } },
          "namespaces": { "shop": {
            "recommenders": { "recommend-items": { "top": { "variations": { "trending": { "type": "builtin", "algorithm": "trending" } } } } },
            "eventTargets": [{ "type": "file", "path": "events.jsonl" }] } } }
        """;

    private readonly string _folder = Directory.CreateTempSubdirectory("cluster-").FullName;
    private readonly string[] _members = [$"127.0.0.1:{NodeEmulator.FreeLoopbackPort()}", $"127.0.0.1:{NodeEmulator.FreeLoopbackPort()}"];
    private readonly LoopbackSilo?[] _silos = new LoopbackSilo?[2];

    public async Task InitializeAsync()
    {
        for (var i = 0; i < _members.Length; i++)
        {
            _silos[i] = await LoopbackSilo.StartAsync(
                _folder,
                i == 0 ? Config : null,
                ["--Cluster:Membership=static", $"--Cluster:Members={string.Join(',', _members)}", $"--Cluster:Self={_members[i]}"],
                _members[i]);
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var silo in _silos)
        {
            if (silo is not null)
            {
                await silo.DisposeAsync();
            }
        }

        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task A_user_is_served_by_its_owner_and_locally_when_the_owner_is_gone()
    {
        var ownership = new ClusterOwnership(new StaticClusterMembership(_members), _members[0]);
        var remoteUser = Enumerable.Range(0, 100).Select(i => $"user-{i}").First(u => ownership.OwnerOf("shop/" + u) == _members[1]);
        var localUser = Enumerable.Range(0, 100).Select(i => $"user-{i}").First(u => ownership.OwnerOf("shop/" + u) == _members[0]);
        var client = _silos[0]!.Client;

        using (var forwarded = await client.GetAsync($"/recommend-items/shop/top/{remoteUser}"))
        {
            Assert.Equal(HttpStatusCode.OK, forwarded.StatusCode);
            Assert.Equal(_members[1], Assert.Single(forwarded.Headers.GetValues(ClusterForwarder.ServedByHeader)));
            Assert.Equal("c-1", Assert.Single(forwarded.Headers.GetValues("X-Personalization-Config-Version")));
        }

        using (var local = await client.GetAsync($"/recommend-items/shop/top/{localUser}"))
        {
            Assert.Equal(HttpStatusCode.OK, local.StatusCode);
            Assert.False(local.Headers.Contains(ClusterForwarder.ServedByHeader));
        }

        using (var events = await client.PostAsync("/events/shop", new StringContent($$"""{"sessionId":"s","userId":"{{remoteUser}}","eventList":[{"eventType":"click","itemId":"x"}]}""")))
        {
            Assert.Equal(HttpStatusCode.OK, events.StatusCode);
            Assert.Equal(_members[1], Assert.Single(events.Headers.GetValues(ClusterForwarder.ServedByHeader)));
        }

        await _silos[1]!.DisposeAsync();
        _silos[1] = null;
        using var fallback = await client.GetAsync($"/recommend-items/shop/top/{remoteUser}");
        Assert.Equal(HttpStatusCode.OK, fallback.StatusCode);
        Assert.False(fallback.Headers.Contains(ClusterForwarder.ServedByHeader));
    }
}
