using System.Net;
using Personalization.Api.Tests.Cluster;
using Xunit;

namespace Personalization.Api.Tests.EndToEnd;

public sealed class ReadinessTests
{
    [Fact]
    public async Task A_missing_catalog_file_keeps_the_silo_unready_with_the_reason_until_the_file_appears()
    {
        await using var cluster = await TestCluster.StartAsync(new TestClusterOptions { SampleData = false, WaitForReady = false });
        File.Delete(cluster.FakeCatalogPath);
        await cluster.WriteConfigAsync(TestConfig.Create("v2", withStore: false));
        cluster.AdvanceTime(new Personalization.Grains.Configuration.FileConfigurationSourceOptions().PollInterval);
        var data = cluster.Silos[0].Data;
        await TestCluster.WaitUntilAsync(
            () => cluster.Silos[0].Configuration.Current?.Version == "v2" && data.LastError is not null,
            () => "the missing catalog of v2 was never reported");

        var ready = await cluster.Client.GetApiAsync("/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.Status);
        Assert.True(ready.Json.GetProperty("configurationLoaded").GetBoolean());
        Assert.False(ready.Json.GetProperty("dataLoaded").GetBoolean());
        Assert.Contains(TestCatalog.FileName, ready.Json.GetProperty("problem").GetString());
        Assert.Equal(HttpStatusCode.OK, (await cluster.Client.GetApiAsync("/health")).Status);

        await File.WriteAllTextAsync(cluster.FakeCatalogPath, TestCatalog.Jsonl());
        await cluster.AdvanceTimeUntilAsync(TimeSpan.FromSeconds(TestConfig.CatalogSyncSeconds), () => data.IsReady, "the catalog to load");
        Assert.Equal(HttpStatusCode.OK, (await cluster.Client.GetApiAsync("/ready")).Status);
    }
}
