using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Personalization.Api.Tests.Cluster;
using Personalization.Grains.Configuration;
using Xunit;

namespace Personalization.Api.Tests.EndToEnd;

/// <summary>The config file is re-read on the source's poll timer (driven by the manual clock): good documents go live, bad ones are refused.</summary>
public sealed class HotReloadTests : IAsyncLifetime
{
    private TestCluster _cluster = null!;

    private HttpClient Client => _cluster.Client;

    public async Task InitializeAsync() => _cluster = await TestCluster.StartAsync(new TestClusterOptions { SampleData = false });

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task A_good_document_goes_live_on_the_next_poll_and_serves_its_new_recommender()
    {
        var before = await Client.GetApiAsync("/recommend-items/fake/new-picks/u1");
        Assert.Equal(HttpStatusCode.NotFound, before.Status);

        await _cluster.WriteConfigAsync(WithNewRecommender("v2"));
        Assert.Equal(TestConfig.Version, (await Client.GetApiAsync("/health")).ConfigVersion);
        await _cluster.AdvanceToConfigVersionAsync("v2");

        var after = await Client.GetApiAsync("/recommend-items/fake/new-picks/u1");
        Assert.Equal(HttpStatusCode.OK, after.Status);
        Assert.Equal("v2", after.ConfigVersion);
        Assert.Equal(TestConfig.Campaign("new-picks"), _cluster.Backend.LastRequest.Variation.Arn);
        var admin = await Client.GetApiAsync("/admin/config");
        Assert.Equal("v2", admin.Json.GetProperty("version").GetString());
        Assert.Equal("file:" + _cluster.ConfigPath, admin.Json.GetProperty("lastActivation").GetProperty("origin").GetString());
        var openApi = await Client.GetApiAsync("/openapi.json");
        Assert.True(openApi.Json.GetProperty("paths").TryGetProperty("/recommend-items/fake/new-picks/{userId}", out _));
    }

    [Fact]
    public async Task A_new_document_drops_responses_cached_under_the_old_one()
    {
        await Client.GetApiAsync("/recommend-items/fake/picks/u1");
        await Client.GetApiAsync("/recommend-items/fake/picks/u1");
        Assert.Equal(1, _cluster.Backend.Calls);

        await _cluster.WriteConfigAsync(TestConfig.Create("v2", withStore: false));
        await _cluster.AdvanceToConfigVersionAsync("v2");
        var response = await Client.GetApiAsync("/recommend-items/fake/picks/u1");

        Assert.Equal("v2", response.ConfigVersion);
        Assert.Equal(2, _cluster.Backend.Calls);
    }

    [Fact]
    public async Task A_bad_document_is_rejected_with_path_naming_errors_and_the_last_good_one_stays_live()
    {
        var document = TestConfig.Create("v2", withStore: false);
        document["namespaces"]!["fake"]!["recommenders"]!["recommend-items"]!["picks"]!["variations"] = new JsonObject();
        await _cluster.WriteConfigAsync(document);

        var results = await _cluster.ReloadConfigAsync();

        var result = Assert.Single(results);
        Assert.Equal(ConfigurationApplyStatus.Rejected, result!.Status);
        const string expected = "namespaces.fake.recommenders.recommend-items.picks.variations: at least one variation is required";
        Assert.Contains(expected, result.Errors.Select(e => e.ToString()));

        var admin = await Client.GetApiAsync("/admin/config");
        Assert.Equal(TestConfig.Version, admin.Json.GetProperty("version").GetString());
        var rejection = admin.Json.GetProperty("lastRejection");
        Assert.True(rejection.GetProperty("current").GetBoolean());
        Assert.Contains(expected, rejection.GetProperty("errors").EnumerateArray().Select(e => e.GetString()));

        var ready = await Client.GetApiAsync("/ready");
        Assert.Equal(HttpStatusCode.OK, ready.Status);
        var served = await Client.GetApiAsync("/recommend-items/fake/picks/u1");
        Assert.Equal(HttpStatusCode.OK, served.Status);
        Assert.Equal(TestConfig.Version, served.ConfigVersion);
        Assert.Contains(_cluster.Logs.Entries, e => e.Level == LogLevel.Error && e.Category.EndsWith(nameof(ConfigurationStore), StringComparison.Ordinal) && e.Message.Contains(expected));
    }

    [Fact]
    public async Task A_document_that_is_not_json_is_rejected_on_the_poll_and_a_later_good_one_still_applies()
    {
        await _cluster.WriteConfigAsync("{ \"version\": \"v2\", \"namespaces\": ");
        _cluster.AdvanceTime(new FileConfigurationSourceOptions().PollInterval);
        var store = _cluster.Silos[0].Configuration;
        await TestCluster.WaitUntilAsync(() => store.LastRejection is not null, () => "the broken document was never rejected");

        var admin = await Client.GetApiAsync("/admin/config");
        Assert.Equal(TestConfig.Version, admin.Json.GetProperty("version").GetString());
        Assert.Contains("not valid JSON", admin.Json.GetProperty("lastRejection").GetProperty("errors")[0].GetString());
        Assert.Equal(HttpStatusCode.OK, (await Client.GetApiAsync("/ready")).Status);

        await _cluster.WriteConfigAsync(WithNewRecommender("v3"));
        await _cluster.AdvanceToConfigVersionAsync("v3");
        var after = await Client.GetApiAsync("/admin/config");
        Assert.False(after.Json.GetProperty("lastRejection").GetProperty("current").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, (await Client.GetApiAsync("/recommend-items/fake/new-picks/u1")).Status);
    }

    public static TheoryData<string, string> BadDocuments => new()
    {
        {
            """{ "type": "crystal-ball" }""",
            "namespaces.fake.recommenders.recommend-items.picks.variations.campaign.type: unknown variation type 'crystal-ball'"
        },
        {
            """{ "type": "personalize-campaign", "arn": "arn:aws:s3:::bucket" }""",
            "namespaces.fake.recommenders.recommend-items.picks.variations.campaign.arn"
        },
        {
            """{ "type": "personalize-campaign", "arn": "arn:aws:personalize:us-east-1:123456789012:campaign/x", "cacheControl": { "userSpecified": { "directives": "private, max-age=5" } } }""",
            "namespaces.fake.recommenders.recommend-items.picks.variations.campaign.cacheControl.userSpecified.directives: must not contain max-age"
        },
        {
            """{ "type": "personalize-campaign", "arn": "arn:aws:personalize:us-east-1:123456789012:campaign/x", "autoContext": { "device": { "type": "string", "rules": [ { "type": "header-value", "header": "x-device", "valueMappings": [ { "operator": "resembles", "value": "a", "mapTo": "b" } ] } ] } } }""",
            "namespaces.fake.recommenders.recommend-items.picks.variations.campaign.autoContext.device.rules[0].valueMappings[0].operator: unknown operator 'resembles'"
        },
    };

    [Theory]
    [MemberData(nameof(BadDocuments))]
    public async Task Invalid_variations_are_rejected_naming_the_offending_path(string variation, string expectedError)
    {
        var document = TestConfig.Create("v2", withStore: false);
        document["namespaces"]!["fake"]!["recommenders"]!["recommend-items"]!["picks"]!["variations"] = new JsonObject { ["campaign"] = JsonNode.Parse(variation) };
        await _cluster.WriteConfigAsync(document);

        var result = Assert.Single(await _cluster.ReloadConfigAsync());

        Assert.Equal(ConfigurationApplyStatus.Rejected, result!.Status);
        Assert.Contains(result.Errors, e => e.ToString().StartsWith(expectedError, StringComparison.Ordinal));
        Assert.Equal(TestConfig.Version, (await Client.GetApiAsync("/recommend-items/fake/picks/u1")).ConfigVersion);
    }

    private static JsonObject WithNewRecommender(string version)
    {
        var document = TestConfig.Create(version, withStore: false);
        document["namespaces"]!["fake"]!["recommenders"]!["recommend-items"]!["new-picks"] = new JsonObject
        {
            ["variations"] = new JsonObject
            {
                ["fresh"] = new JsonObject { ["type"] = "personalize-campaign", ["arn"] = TestConfig.Campaign("new-picks") },
            },
        };
        return document;
    }
}
