using Orleans;
using Orleans.Runtime;
using Personalization.TestSupport;

namespace Personalization.Orleans.Clustering.DynamoDB.Tests;

[Collection(DynaliteCollection.Name)]
public sealed class DynamoDBGatewayListProviderTests(DynaliteFixture dynalite) : IDisposable
{
    private readonly MembershipFactory _factory = new(dynalite);

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task Only_Active_silos_with_a_gateway_port_are_gateways_at_their_proxy_port()
    {
        using var table = await _factory.CreateAsync();
        var active = Insert(SiloStatus.Active, proxyPort: 30001);
        var noGateway = Insert(SiloStatus.Active, proxyPort: 0);
        var joining = Insert(SiloStatus.Joining, proxyPort: 30002);
        var shuttingDown = Insert(SiloStatus.ShuttingDown, proxyPort: 30003);
        var dead = Insert(SiloStatus.Dead, proxyPort: 30004);
        foreach (var entry in new[] { active, noGateway, joining, shuttingDown, dead })
        {
            Assert.True(await table.InsertRowAsync(entry, (await table.ReadAllAsync(default)).Version.Next(), default));
        }

        using var gateways = _factory.CreateGateways();
#pragma warning disable CS0618 // the plain overload must answer the same
        var plain = await gateways.GetGateways();
#pragma warning restore CS0618
        var uris = await gateways.GetGatewaysAsync(default);

        var expected = SiloAddress.New(active.SiloAddress.Endpoint.Address, 30001, active.SiloAddress.Generation).ToGatewayUri();
        Assert.Equal([expected], uris);
        Assert.Equal(uris, plain);
        Assert.Equal(TimeSpan.FromMinutes(1), gateways.MaxStaleness);
    }

    [Fact]
    public async Task A_cluster_that_was_never_initialized_throws_rather_than_listing_no_gateways()
    {
        using var table = await _factory.CreateAsync(clusterId: "other-" + Guid.NewGuid().ToString("N")); // the table exists
        using var gateways = _factory.CreateGateways();

        await Assert.ThrowsAsync<DynamoDBMembershipException>(() => gateways.GetGatewaysAsync(default));
    }

    private static MembershipEntry Insert(SiloStatus status, int proxyPort)
    {
        var entry = MembershipFactory.NewEntry();
        entry.Status = status;
        entry.ProxyPort = proxyPort;
        return entry;
    }
}
