using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Personalization.Aws.Errors;
using Personalization.Aws.Personalize.Runtime;
using Xunit;

namespace Personalization.Aws.Tests.Local;

public sealed class AdminEndpointTests : LocalServerTest
{
    [Fact]
    public async Task Faults_configured_over_http_apply_and_calls_are_listed()
    {
        using var http = new HttpClient { BaseAddress = Server.Url };
        using var fault = await http.PostAsJsonAsync("/_local/faults", new { operation = "GetRecommendations", count = 1, errorCode = "ThrottlingException", statusCode = 400, message = "injected" });
        Assert.Equal(HttpStatusCode.NoContent, fault.StatusCode);
        var client = Clients(o => o.MaxRetries = 0).CreatePersonalizeRuntimeClient();

        var error = await Assert.ThrowsAsync<AwsThrottlingException>(() => client.GetRecommendationsAsync(new GetRecommendationsRequest { CampaignArn = "arn:c", UserId = "u" }));
        await client.GetRecommendationsAsync(new GetRecommendationsRequest { CampaignArn = "arn:c", UserId = "u" });

        Assert.Equal("injected", error.Message);
        using var recorded = JsonDocument.Parse(await http.GetStringAsync("/_local/recorded?operation=GetRecommendations"));
        Assert.Equal([400, 200], recorded.RootElement.EnumerateArray().Select(c => c.GetProperty("statusCode").GetInt32()));
        Assert.Equal("ThrottlingException", recorded.RootElement[0].GetProperty("errorCode").GetString());
    }

    [Fact]
    public async Task A_percent_fault_fails_every_call_until_cleared()
    {
        using var http = new HttpClient { BaseAddress = Server.Url };
        using var fault = await http.PostAsJsonAsync("/_local/faults", new { operation = "GetRecommendations", percent = 100, errorCode = "ServiceUnavailableException", statusCode = 503 });
        Assert.Equal(HttpStatusCode.NoContent, fault.StatusCode);
        var client = Clients(o => o.MaxRetries = 0).CreatePersonalizeRuntimeClient();
        var request = new GetRecommendationsRequest { CampaignArn = "arn:c", UserId = "u" };

        for (var i = 0; i < 5; i++)
        {
            await Assert.ThrowsAsync<AwsServiceUnavailableException>(() => client.GetRecommendationsAsync(request));
        }

        using (await http.DeleteAsync("/_local/faults"))
        {
        }

        await client.GetRecommendationsAsync(request);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(101)]
    public async Task A_percent_outside_0_to_100_is_refused(double percent)
    {
        using var http = new HttpClient { BaseAddress = Server.Url };
        using var response = await http.PostAsJsonAsync("/_local/faults", new { operation = "GetRecommendations", percent, errorCode = "ThrottlingException" });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Invalid_admin_input_gets_a_clear_error()
    {
        using var http = new HttpClient { BaseAddress = Server.Url };

        using var response = await http.PostAsJsonAsync("/_local/faults", new { operation = "PutEvents", count = 0, errorCode = "ThrottlingException" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("count", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task AppConfig_versions_can_be_published_over_http()
    {
        using var http = new HttpClient { BaseAddress = Server.Url };
        using var content = new StringContent("{\"x\":1}", System.Text.Encoding.UTF8, "application/json");
        using var put = await http.PutAsync("/_local/appconfig/app/env/profile", content);
        put.EnsureSuccessStatusCode();
        var client = Clients().CreateAppConfigDataClient();

        var session = await client.StartConfigurationSessionAsync(new() { ApplicationIdentifier = "app", EnvironmentIdentifier = "env", ConfigurationProfileIdentifier = "profile" });
        var latest = await client.GetLatestConfigurationAsync(new() { ConfigurationToken = session.InitialConfigurationToken! });

        Assert.Equal("{\"x\":1}", System.Text.Encoding.UTF8.GetString(latest.Configuration.Span));
    }

    [Fact]
    public async Task The_control_plane_can_be_seeded_over_http()
    {
        using var http = new HttpClient { BaseAddress = Server.Url };
        const string Seed = """
            {
              "datasetGroups": [{ "name": "shop", "datasetGroupArn": "arn:dg/shop", "status": "ACTIVE", "creationDateTime": 1700000000 }],
              "eventTrackers": [{ "datasetGroupArn": "arn:dg/shop", "name": "t", "eventTrackerArn": "arn:et/t" }],
              "campaigns": [{ "name": "c", "campaignArn": "arn:campaign/c", "solutionVersionArn": "arn:solution/s/v1" }]
            }
            """;
        using var put = await http.PutAsync("/_local/control-plane", new StringContent(Seed, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.NoContent, put.StatusCode);
        var client = Clients().CreatePersonalizeClient();

        var groups = await client.ListDatasetGroupsAsync(new());
        var trackers = await client.ListEventTrackersAsync(new() { DatasetGroupArn = "arn:dg/shop" });
        var campaign = await client.DescribeCampaignAsync(new() { CampaignArn = "arn:campaign/c" });

        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000), Assert.Single(groups.DatasetGroups).CreationDateTime);
        Assert.Equal(("arn:et/t", "ACTIVE"), (Assert.Single(trackers.EventTrackers).EventTrackerArn, trackers.EventTrackers[0].Status));
        Assert.Equal("arn:solution/s/v1", campaign.Campaign!.SolutionVersionArn);

        using var bad = await http.PutAsync("/_local/control-plane", new StringContent("{\"campaigns\": 5}", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }
}
