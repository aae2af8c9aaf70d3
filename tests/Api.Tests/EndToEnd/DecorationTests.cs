using System.Net;
using System.Text.Json;
using Personalization.Api.Tests.Cluster;
using Personalization.Grains.Catalog;
using Xunit;

namespace Personalization.Api.Tests.EndToEnd;

/// <summary>Decoration from the namespace's JSON Lines catalog through item grains: metadata, missing items, projection, reload.</summary>
public sealed class DecorationTests : IAsyncLifetime
{
    private TestCluster _cluster = null!;

    private HttpClient Client => _cluster.Client;

    public async Task InitializeAsync() => _cluster = await TestCluster.StartAsync(new TestClusterOptions { SampleData = false });

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task Each_item_carries_its_catalog_object_without_the_id_as_metadata()
    {
        var response = await Client.GetApiAsync("/recommend-items/fake/picks/u1?numResults=5");

        Assert.Equal(HttpStatusCode.OK, response.Status);
        foreach (var (item, line) in response.Items.Zip(TestCatalog.Lines))
        {
            var expected = JsonDocument.Parse(line).RootElement.EnumerateObject().Where(p => p.Name != "id").ToDictionary(p => p.Name, p => p.Value.GetRawText());
            var actual = item.GetProperty("metadata").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetRawText());
            Assert.Equal(expected, actual);
        }
    }

    [Fact]
    public async Task Items_missing_from_the_catalog_are_left_undecorated_and_counted()
    {
        await Client.GetApiAsync("/metrics");
        _cluster.Backend.Items = ["a", "ghost", "b"];

        var response = await Client.GetApiAsync("/recommend-items/fake/picks/u1");

        Assert.Equal(["a", "ghost", "b"], response.ItemIds);
        Assert.True(response.Items[0].TryGetProperty("metadata", out _));
        Assert.False(response.Items[1].TryGetProperty("metadata", out _));
        Assert.Equal("Bravo", response.Items[2].GetProperty("metadata").GetProperty("name").GetString());
        var metrics = await Client.GetApiAsync("/metrics");
        Assert.Contains("catalog_items_missing_total{namespace=\"fake\"}", metrics.Body);
    }

    [Fact]
    public async Task Missing_items_are_counted_even_before_the_first_scrape()
    {
        _cluster.Backend.Items = ["ghost"];

        await Client.GetApiAsync("/recommend-items/fake/picks/u1");
        var metrics = await Client.GetApiAsync("/metrics");

        Assert.Contains("catalog_items_missing_total{namespace=\"fake\"}", metrics.Body);
    }

    [Fact]
    public async Task DecorateFields_keeps_only_the_named_fields()
    {
        var response = await Client.GetApiAsync("/recommend-items/fake/picks/u1?decorateFields=name,price,nosuchfield");

        Assert.All(response.Items, item =>
            Assert.Equal(["name", "price"], item.GetProperty("metadata").EnumerateObject().Select(p => p.Name).Order()));
        Assert.Equal(10.5, response.Items[0].GetProperty("metadata").GetProperty("price").GetDouble());
    }

    [Fact]
    public async Task DecorateItems_false_leaves_every_item_bare()
    {
        var response = await Client.GetApiAsync("/recommend-items/fake/picks/u1?decorateItems=false");

        Assert.Equal(5, response.Items.Count);
        Assert.All(response.Items, item => Assert.False(item.TryGetProperty("metadata", out _)));
    }

    [Fact]
    public async Task Rerank_and_related_items_are_decorated_too()
    {
        var rerank = await Client.GetApiAsync("/rerank-items/fake/ranking/u1/e,d?decorateFields=brand");
        var related = await Client.GetApiAsync("/related-items/fake/similar/a?numResults=1");

        Assert.Equal("Bolt", rerank.Items[0].GetProperty("metadata").GetProperty("brand").GetString());
        Assert.Equal("Cogs", rerank.Items[1].GetProperty("metadata").GetProperty("brand").GetString());
        Assert.Equal("Alpha", related.Items[0].GetProperty("metadata").GetProperty("name").GetString());
    }

    [Fact]
    public async Task A_rewritten_catalog_is_reloaded_after_the_sync_interval_and_the_next_miss_shows_it()
    {
        _cluster.Backend.Items = ["a", "f"];
        var before = await Client.GetApiAsync("/recommend-items/fake/picks/u1");
        Assert.Equal("Alpha", before.Items[0].GetProperty("metadata").GetProperty("name").GetString());
        Assert.False(before.Items[1].TryGetProperty("metadata", out _));

        var catalogs = _cluster.GetService<CatalogStore>();
        var loaded = catalogs.Get("fake")!.Version;
        string[] lines = [TestCatalog.Lines[0].Replace("Alpha", "Alpha Mk II"), .. TestCatalog.Lines[1..], """{"id":"f","name":"Foxtrot","price":3}"""];
        await File.WriteAllTextAsync(_cluster.FakeCatalogPath, TestCatalog.Jsonl(lines));

        await _cluster.AdvanceTimeUntilAsync(
            TimeSpan.FromSeconds(TestConfig.CatalogSyncSeconds),
            () => catalogs.Get("fake")!.Version != loaded,
            "the fake catalog to be reloaded");
        var after = await Client.GetApiAsync("/recommend-items/fake/picks/u1");

        Assert.Equal(2, _cluster.Backend.Calls);
        Assert.Equal("Alpha Mk II", after.Items[0].GetProperty("metadata").GetProperty("name").GetString());
        Assert.Equal("Foxtrot", after.Items[1].GetProperty("metadata").GetProperty("name").GetString());
        var admin = await Client.GetApiAsync("/admin/config");
        var fake = admin.Json.GetProperty("catalogs").EnumerateArray().Single(c => c.GetProperty("namespace").GetString() == "fake");
        Assert.Equal(6, fake.GetProperty("items").GetInt32());
    }
}
