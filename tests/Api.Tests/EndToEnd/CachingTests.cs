using System.Net;
using Personalization.Api.Tests.Cluster;
using Personalization.Grains.Users;
using Xunit;

namespace Personalization.Api.Tests.EndToEnd;

/// <summary>
/// The user grain's response cache seen over HTTP with the manual clock: hits, expiry, stale-while-revalidate,
/// conditional requests and single flight. Config: user 10 s (+20 s stale), synthetic user 300 s, no user 1200 s.
/// </summary>
public sealed class CachingTests : IAsyncLifetime
{
    private TestCluster _cluster = null!;

    private HttpClient Client => _cluster.Client;

    private FakeBackend Backend => _cluster.Backend;

    public async Task InitializeAsync() => _cluster = await TestCluster.StartAsync(new TestClusterOptions { SampleData = false });

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task A_second_call_is_served_from_the_cache_with_the_same_etag()
    {
        var first = await Client.GetApiAsync("/recommend-items/fake/picks/u1");
        var second = await Client.GetApiAsync("/recommend-items/fake/picks/u1");

        Assert.Equal(HttpStatusCode.OK, second.Status);
        Assert.Equal(1, Backend.Calls);
        Assert.NotNull(first.ETag);
        Assert.Equal(first.ETag, second.ETag);
        Assert.Equal(first.Body, second.Body);
    }

    [Fact]
    public async Task The_etag_is_strong_quoted_and_changes_with_the_content()
    {
        var first = await Client.GetApiAsync("/recommend-items/fake/picks/u1");
        var other = await Client.GetApiAsync("/recommend-items/fake/picks/u2");

        Assert.Matches("^\"[A-Za-z0-9_-]+\"$", first.ETag);
        Assert.NotEqual(first.ETag, other.ETag);
    }

    [Fact]
    public async Task Everything_that_shapes_a_response_is_part_of_the_key_but_parameter_order_is_not()
    {
        await Client.GetApiAsync("/recommend-items/fake/picks/u1?numResults=2");
        await Client.GetApiAsync("/recommend-items/fake/picks/u1?numResults=3");
        await Client.GetApiAsync("/recommend-items/fake/picks/u1?numResults=3&decorateItems=false");
        await Client.GetApiAsync("/recommend-items/fake/picks/u1?numResults=3&decorateFields=name");
        Assert.Equal(4, Backend.Calls);

        await Client.GetApiAsync("/recommend-items/fake/picks/u1?context=" + Uri.EscapeDataString("""{"A":"1","B":"2"}"""));
        await Client.GetApiAsync("/recommend-items/fake/picks/u1?context=" + Uri.EscapeDataString("""{"B":"2","A":"1"}"""));
        Assert.Equal(5, Backend.Calls);

        await Client.GetApiAsync("/recommend-items/fake/picks/u1?filter=cheap&filterValues=" + Uri.EscapeDataString("""{"MAX":"10"}"""));
        await Client.GetApiAsync("/recommend-items/fake/picks/u1?filter=cheap&filterValues=" + Uri.EscapeDataString("""{"MAX":"20"}"""));
        Assert.Equal(7, Backend.Calls);
    }

    [Fact]
    public async Task Rerank_by_path_and_by_body_share_the_cache_entry_of_the_same_list()
    {
        var byPath = await Client.GetApiAsync("/rerank-items/fake/ranking/u1/a,b,c");
        var byBody = await Client.PostJsonAsync("/rerank-items/fake/ranking/u1", """["a","b","c"]""");
        var otherOrder = await Client.PostJsonAsync("/rerank-items/fake/ranking/u1", """["c","b","a"]""");

        Assert.Equal(byPath.ETag, byBody.ETag);
        Assert.NotEqual(byPath.ETag, otherOrder.ETag);
        Assert.Equal(2, Backend.Calls);
    }

    [Fact]
    public async Task An_entry_expires_after_max_age_and_the_next_call_fetches_anew()
    {
        const string url = "/recommend-items/fake/picks/u1?syntheticUser=true";
        var first = await Client.GetApiAsync(url);

        _cluster.AdvanceTime(TimeSpan.FromSeconds(299));
        var beforeExpiry = await Client.GetApiAsync(url);
        Assert.Equal(1, Backend.Calls);
        Assert.Equal(first.ETag, beforeExpiry.ETag);

        _cluster.AdvanceTime(TimeSpan.FromSeconds(1));
        var afterExpiry = await Client.GetApiAsync(url);
        Assert.Equal(2, Backend.Calls);
        Assert.NotEqual(first.ETag, afterExpiry.ETag);
    }

    [Fact]
    public async Task Within_the_stale_window_the_stale_response_is_served_while_one_refresh_runs()
    {
        const string url = "/recommend-items/fake/picks/u1";
        var first = await Client.GetApiAsync(url);
        _cluster.AdvanceTime(TimeSpan.FromSeconds(15));

        Backend.Hold();
        var stale = await Client.GetApiAsync(url);
        Assert.Equal(HttpStatusCode.OK, stale.Status);
        Assert.Equal(first.ETag, stale.ETag);
        await Backend.WaitForCallsAsync(2);

        var staleAgain = await Client.GetApiAsync(url);
        Assert.Equal(first.ETag, staleAgain.ETag);

        Backend.Release();
        ApiResponse refreshed = stale;
        async Task PollAsync()
        {
            while (refreshed.ETag == first.ETag)
            {
                refreshed = await Client.GetApiAsync(url);
            }
        }

        await PollAsync().WaitAsync(TestCluster.Patience);
        Assert.Equal(2, Backend.Calls);
        Assert.Contains("fake-2", refreshed.Body);
    }

    [Fact]
    public async Task Past_the_stale_window_a_call_waits_for_a_fresh_response()
    {
        const string url = "/recommend-items/fake/picks/u1";
        var first = await Client.GetApiAsync(url);
        _cluster.AdvanceTime(TimeSpan.FromSeconds(31));

        Backend.Hold();
        var pending = Client.GetApiAsync(url);
        await Backend.WaitForCallsAsync(2);
        Assert.False(pending.IsCompleted);

        Backend.Release();
        var fresh = await pending;
        Assert.NotEqual(first.ETag, fresh.ETag);
        Assert.Contains("fake-2", fresh.Body);
    }

    [Fact]
    public async Task Concurrent_misses_for_one_key_make_one_backend_call()
    {
        Backend.Hold();
        var requests = Enumerable.Range(0, 8).Select(_ => Client.GetApiAsync("/recommend-items/fake/picks/u1")).ToList();
        await Backend.WaitForCallsAsync(1);
        Assert.DoesNotContain(requests, r => r.IsCompleted);

        Backend.Release();
        var responses = await Task.WhenAll(requests);

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.Status));
        Assert.Single(responses.Select(r => r.ETag).Distinct());
        Assert.Equal(1, Backend.Calls);
    }

    [Fact]
    public async Task Concurrent_anonymous_related_items_misses_make_one_backend_call()
    {
        Backend.Hold();
        var requests = Enumerable.Range(0, 8).Select(_ => Client.GetApiAsync("/related-items/fake/similar/a")).ToList();
        await Backend.WaitForCallsAsync(1);
        Assert.DoesNotContain(requests, r => r.IsCompleted);

        Backend.Release();
        var responses = await Task.WhenAll(requests);

        Assert.Single(responses.Select(r => r.ETag).Distinct());
        Assert.Equal(1, Backend.Calls);
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public async Task If_none_match_with_the_current_etag_is_a_304_without_a_body(bool weak, bool inList)
    {
        const string url = "/recommend-items/fake/picks/u1";
        var first = await Client.GetApiAsync(url);
        var tag = weak ? "W/" + first.ETag : first.ETag!;
        if (inList)
        {
            tag = "\"something-else\", " + tag;
        }

        var conditional = await Client.GetApiAsync(url, ("If-None-Match", tag));

        Assert.Equal(HttpStatusCode.NotModified, conditional.Status);
        Assert.Equal("", conditional.Body);
        Assert.Equal(first.ETag, conditional.ETag);
        Assert.Equal("private, max-age=10", conditional.CacheControl);
        Assert.Equal(1, Backend.Calls);
    }

    [Fact]
    public async Task If_none_match_with_another_etag_is_a_200_with_the_body()
    {
        const string url = "/recommend-items/fake/picks/u1";
        var first = await Client.GetApiAsync(url);
        var otherUrlsTag = (await Client.GetApiAsync("/recommend-items/fake/picks/u2")).ETag!;

        var mismatch = await Client.GetApiAsync(url, ("If-None-Match", "\"not-the-tag\""));
        var otherUrl = await Client.GetApiAsync(url, ("If-None-Match", otherUrlsTag));

        Assert.Equal(HttpStatusCode.OK, mismatch.Status);
        Assert.Equal(first.Body, mismatch.Body);
        Assert.Equal(HttpStatusCode.OK, otherUrl.Status);
        Assert.Equal(first.ETag, otherUrl.ETag);
    }

    [Fact]
    public async Task After_the_content_changed_an_old_etag_gets_a_200_with_the_new_content()
    {
        const string url = "/recommend-items/fake/picks/u1?syntheticUser=true";
        var first = await Client.GetApiAsync(url);
        _cluster.AdvanceTime(TimeSpan.FromSeconds(301));

        var changed = await Client.GetApiAsync(url, ("If-None-Match", first.ETag!));

        Assert.Equal(HttpStatusCode.OK, changed.Status);
        Assert.NotEqual(first.ETag, changed.ETag);
        Assert.Contains("fake-2", changed.Body);
        var again = await Client.GetApiAsync(url, ("If-None-Match", changed.ETag!));
        Assert.Equal(HttpStatusCode.NotModified, again.Status);
    }

    [Theory]
    [InlineData("/recommend-items/fake/picks/u1", "private, max-age=10")]
    [InlineData("/recommend-items/fake/picks/u1?syntheticUser=true", "public, max-age=300")]
    [InlineData("/related-items/fake/similar/a", "public, max-age=1200")]
    [InlineData("/related-items/fake/similar/a?userId=u1", "private, max-age=10")]
    [InlineData("/related-items/fake/similar/a?userId=u1&syntheticUser=yes", "public, max-age=300")]
    [InlineData("/rerank-items/fake/ranking/u1/a,b", "private, max-age=10")]
    public async Task Cache_control_follows_the_user_class(string url, string cacheControl)
    {
        var response = await Client.GetApiAsync(url);

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal(cacheControl, response.CacheControl);
    }

    [Fact]
    public async Task Anonymous_related_items_are_cached_for_the_no_user_max_age()
    {
        // Calls in between keep the grain from idle collection (15 min), which would drop its cache with it.
        await Client.GetApiAsync("/related-items/fake/similar/a");
        _cluster.AdvanceTime(TimeSpan.FromSeconds(600));
        await Client.GetApiAsync("/related-items/fake/similar/a");
        _cluster.AdvanceTime(TimeSpan.FromSeconds(599));
        await Client.GetApiAsync("/related-items/fake/similar/a");
        Assert.Equal(1, Backend.Calls);

        _cluster.AdvanceTime(TimeSpan.FromSeconds(1));
        await Client.GetApiAsync("/related-items/fake/similar/a");
        Assert.Equal(2, Backend.Calls);
    }

    [Fact]
    public async Task A_deactivated_user_grain_starts_with_an_empty_cache()
    {
        await Client.GetApiAsync("/recommend-items/fake/picks/u1");
        Assert.True(await _cluster.IsActiveAsync<IUserGrain>("fake/u1"));

        await _cluster.DeactivateGrainAsync<IUserGrain>("fake/u1");
        Assert.False(await _cluster.IsActiveAsync<IUserGrain>("fake/u1"));
        await Client.GetApiAsync("/recommend-items/fake/picks/u1");

        Assert.Equal(2, Backend.Calls);
    }
}
