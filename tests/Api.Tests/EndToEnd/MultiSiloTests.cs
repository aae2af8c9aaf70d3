using System.Net;
using Personalization.Api.Tests.Cluster;
using Xunit;

namespace Personalization.Api.Tests.EndToEnd;

/// <summary>Several silos in one cluster share the clock, the config file and the grain store.</summary>
public sealed class MultiSiloTests
{
    [Fact]
    public async Task Two_silos_serve_reload_together_and_one_keeps_serving_when_the_other_stops()
    {
        await using var cluster = await TestCluster.StartAsync(new TestClusterOptions { SiloCount = 2, SampleData = false });

        foreach (var silo in cluster.Silos)
        {
            var response = await silo.Client.GetApiAsync("/recommend-items/fake/picks/u1");
            Assert.Equal(HttpStatusCode.OK, response.Status);
            Assert.Equal(TestConfig.Version, response.ConfigVersion);
        }

        await cluster.WriteConfigAsync(TestConfig.Create("v2", withStore: false));
        await cluster.AdvanceToConfigVersionAsync("v2");
        Assert.All(cluster.Silos, s => Assert.Equal("v2", s.Configuration.Current!.Version));

        await cluster.StopSiloAsync(1);
        Assert.False(cluster.Silos[1].IsRunning);
        Assert.Equal("v2", (await cluster.ClientOf(0).GetApiAsync("/recommend-items/fake/picks/u2")).ConfigVersion);
    }
}
