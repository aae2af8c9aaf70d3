using System.Net;
using Microsoft.Extensions.Logging;
using Personalization.Api.Tests.Cluster;
using Xunit;

namespace Personalization.Api.Tests.Observability;

/// <summary>What the silo logs per request at its default levels (src/Silo/appsettings.json).</summary>
public sealed class LoggingTests
{
    [Fact]
    public async Task Cache_hits_log_nothing_at_the_default_levels()
    {
        await using var cluster = await TestCluster.StartAsync(new TestClusterOptions { SampleData = false, CapturedLogLevel = LogLevel.Trace });
        Assert.Equal(HttpStatusCode.OK, (await cluster.Client.GetApiAsync("/recommend-items/fake/picks/quiet-user")).Status);
        cluster.Logs.Clear();

        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await cluster.Client.GetApiAsync("/recommend-items/fake/picks/quiet-user")).Status);
        }

        var logged = cluster.Logs.Entries;
        Assert.True(logged.Count == 0, "logged on the cache-hit path: " + string.Join(" | ", logged.Take(5).Select(e => $"{e.Level} {e.Category}: {e.Message}")));
    }
}
