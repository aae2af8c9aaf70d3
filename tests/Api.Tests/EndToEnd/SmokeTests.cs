using System.Net;
using Personalization.Api.Tests.Cluster;
using Xunit;

namespace Personalization.Api.Tests.EndToEnd;

public sealed class SmokeTests
{
    [Fact]
    public async Task Cluster_starts_and_serves()
    {
        await using var cluster = await TestCluster.StartAsync();
        var response = await cluster.Client.GetApiAsync("/recommend-items/fake/picks/u1");
        Assert.Equal(HttpStatusCode.OK, response.Status);
        var store = await cluster.Client.GetApiAsync($"/recommend-items/store/for-you/{SampleData.KnownUser}?numResults=3");
        Assert.Equal(HttpStatusCode.OK, store.Status);
        Console.WriteLine(response.Body);
        Console.WriteLine(store.Body);
    }
}
