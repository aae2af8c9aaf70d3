using System.Net;
using Personalization.Api.Tests.Auth;
using Personalization.Api.Tests.Cluster;
using Xunit;

namespace Personalization.Api.Tests.Observability;

/// <summary>
/// The Orleans dashboard on <c>/dashboard</c> (Microsoft.Orleans.Dashboard), through the silo's HTTP pipeline on a
/// TestServer: served when <c>Dashboard__Enabled=true</c>, to admin callers only, and absent by default outside Development.
/// </summary>
public sealed class DashboardTests
{
    private static readonly (string, string) Admin = ("X-Api-Key", AuthClusterFixture.AdminKey);
    private static readonly (string, string) NotAdmin = ("X-Api-Key", AuthClusterFixture.EventsOnlyKey);

    [Fact]
    public async Task The_dashboard_answers_admins_only_with_its_page_and_live_cluster_data()
    {
        var settings = AuthClusterFixture.KeySettings();
        settings["Auth:Schemes"] = "apiKey";
        settings["Dashboard:Enabled"] = "true";
        await using var cluster = await TestCluster.StartAsync(new TestClusterOptions { SampleData = false, Settings = settings });
        var client = cluster.Client;

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetApiAsync("/dashboard/index.html")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetApiAsync("/dashboard/index.html", NotAdmin)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetApiAsync("/dashboard/DashboardCounters", NotAdmin)).Status);

        var page = await client.GetApiAsync("/dashboard/index.html", Admin);
        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.StartsWith("text/html", page.ContentType);
        Assert.Contains("index.min.js", page.Body);
        var script = await client.GetApiAsync("/dashboard/index.min.js", Admin);
        Assert.Equal(HttpStatusCode.OK, script.Status);

        // The counters the page polls: this silo, Active, once the dashboard's collector (a grain timer, on the test
        // clock) has run.
        ApiResponse counters = null!;
        for (var attempt = 0; attempt < 100; attempt++)
        {
            counters = await client.GetApiAsync("/dashboard/DashboardCounters", Admin);
            Assert.Equal(HttpStatusCode.OK, counters.Status);
            if (counters.Json.GetProperty("hosts").GetArrayLength() > 0)
            {
                break;
            }

            cluster.AdvanceTime(TimeSpan.FromSeconds(1));
            await Task.Delay(50);
        }

        var hosts = counters.Json.GetProperty("hosts").EnumerateArray().ToList();
        Assert.True(hosts.Any(host => host.GetProperty("status").GetString() == "Active"), counters.Body);
    }

    [Fact]
    public async Task The_dashboard_is_off_unless_enabled()
    {
        await using var cluster = await TestCluster.StartAsync(new TestClusterOptions { SampleData = false });

        Assert.Equal(HttpStatusCode.NotFound, (await cluster.Client.GetApiAsync("/dashboard/index.html")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await cluster.Client.GetApiAsync("/dashboard/DashboardCounters")).Status);
    }
}
