using Personalization.Grains.Recommendations;
using Personalization.Grains.Recommenders;
using Personalization.Grains.Recommenders.Resilience;
using Xunit;
using static Personalization.Grains.Tests.Recommendations.FallbackHarness;

namespace Personalization.Grains.Tests.Recommendations;

/// <summary>
/// Issue 15 §1–§2 through the pipeline and a user's response cache: the fallback chain, the built-in trending last
/// resort, what is cached and for how long, and stale-if-error before any fallback. Time is the manual clock.
/// </summary>
public sealed class FallbackTests : IAsyncLifetime
{
    public const string Config = """
        { "cacheControl": {
            "userSpecified": { "maxAge": 10, "directives": "private" },
            "syntheticUserSpecified": { "maxAge": 10 }, "noUserSpecified": { "maxAge": 10 } },
          "namespaces": { "shop": {
            "inferenceItemMetadata": { "type": "localdb", "path": "items.jsonl" },
            "recommenders": { "recommend-items": {
              "chain": { "variations": { "main": {
                "type": "personalize-campaign", "arn": "arn:aws:personalize:us-east-1:123456789012:campaign/main",
                "fallbacks": [
                  { "type": "http", "url": "http://fallback.example/recs/{userId}" },
                  { "type": "builtin", "algorithm": "trending" } ] } } },
              "bare": { "variations": { "main": { "type": "personalize-campaign", "arn": "arn:aws:personalize:us-east-1:123456789012:campaign/bare" } } },
              "off": { "fallbackToTrending": false,
                "variations": { "main": { "type": "personalize-campaign", "arn": "arn:aws:personalize:us-east-1:123456789012:campaign/off",
                  "fallbacks": [ { "type": "http", "url": "http://other.example/recs" } ] } } },
              "swr": {
                "cacheControl": { "staleWhileRevalidate": 60, "userSpecified": { "maxAge": 10, "directives": "private" } },
                "variations": { "main": { "type": "personalize-campaign", "arn": "arn:aws:personalize:us-east-1:123456789012:campaign/swr" } } },
              "sie": {
                "cacheControl": { "staleIfError": 60, "userSpecified": { "maxAge": 10, "directives": "private", "fallbackMaxAge": 3 } },
                "variations": { "main": { "type": "personalize-campaign", "arn": "arn:aws:personalize:us-east-1:123456789012:campaign/sie" } } },
              "ab": {
                "variations": {
                  "one": { "type": "personalize-campaign", "arn": "arn:aws:personalize:us-east-1:123456789012:campaign/one" },
                  "two": { "type": "personalize-campaign", "arn": "arn:aws:personalize:us-east-1:123456789012:campaign/two" } },
                "experiments": { "home": { "method": "builtin",
                  "arms": { "one": { "weight": 50 }, "two": { "weight": 50 } }, "metrics": { "clicks": { } } } } } } } } } }
        """;

    private FallbackHarness _h = null!;

    public async Task InitializeAsync() => _h = await StartAsync(Config);

    public async Task DisposeAsync() => await _h.DisposeAsync();

    private static string[] Items(CachedResponse response) =>
        Body(response).GetProperty("itemList").EnumerateArray().Select(i => i.GetProperty("itemId").GetString()!).ToArray();

    private static string? BodySource(CachedResponse response) =>
        Body(response).TryGetProperty("source", out var source) ? source.GetString() : null;

    [Fact]
    public async Task Primary_answer_says_primary_in_the_header_only()
    {
        var response = await _h.ServeAsync("chain");
        Assert.Equal("primary", response.Source);
        Assert.Null(BodySource(response));
        Assert.Equal("main-0", Items(response)[0]);
        Assert.Equal("private, max-age=10", response.CacheControl);
    }

    [Fact]
    public async Task A_cache_hit_allocates_nothing_for_sources_windows_or_metrics()
    {
        var query = _h.Query("chain");
        var first = await _h.Pipeline.ServeAsync(_h.Cache, query);
        for (var i = 0; i < 10; i++)
        {
            Assert.Same(first, await _h.Pipeline.ServeAsync(_h.Cache, query));
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            var hit = _h.Pipeline.ServeAsync(_h.Cache, query);
            Assert.True(hit.IsCompletedSuccessfully);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Theory]
    [InlineData(BackendFailure.Unavailable)]
    [InlineData(BackendFailure.Timeout)]
    [InlineData(BackendFailure.Throttled)]
    [InlineData(BackendFailure.ResourceNotFound)]
    public async Task Failing_primary_is_answered_by_the_first_fallback_with_its_source(BackendFailure failure)
    {
        _h.Remote.Fail(Arn("main"), failure);
        var response = await _h.ServeAsync("chain");
        Assert.Equal("fallback:1:http", response.Source);
        Assert.Equal("fallback:1:http", BodySource(response));
        Assert.Equal("{userId}-0", Items(response)[0]);
        Assert.Equal("private, max-age=5", response.CacheControl);
        Assert.Equal(5, response.MaxAgeSeconds);
    }

    [Fact]
    public async Task Fallbacks_are_tried_in_order()
    {
        _h.Remote.Fail(Arn("main"), BackendFailure.Unavailable);
        _h.Remote.Fail("http://fallback.example/recs/{userId}", BackendFailure.Timeout);
        var response = await _h.ServeAsync("chain");
        Assert.Equal("fallback:2:builtin", response.Source);
        Assert.Equal(5, Items(response).Length);
        Assert.All(Items(response), id => Assert.StartsWith("i", id));
        Assert.Equal(1, _h.Remote.CallsTo("http://fallback.example/recs/{userId}"));
    }

    [Fact]
    public async Task Without_fallbacks_a_namespace_with_a_catalog_answers_with_built_in_trending()
    {
        _h.Remote.Fail(Arn("bare"), BackendFailure.Unavailable);
        var response = await _h.ServeAsync("bare");
        Assert.Equal("fallback:1:builtin", response.Source);
        Assert.All(Items(response), id => Assert.StartsWith("i", id));
    }

    [Fact]
    public async Task With_the_trending_last_resort_off_the_primary_error_is_reported_when_every_fallback_failed()
    {
        _h.Remote.Fail(Arn("off"), BackendFailure.Throttled, "ThrottlingException");
        _h.Remote.Fail("http://other.example/recs", BackendFailure.Unavailable, "Http503");
        var error = await Assert.ThrowsAsync<RecommenderBackendException>(() => _h.ServeAsync("off"));
        Assert.Equal("ThrottlingException", error.Code);
        Assert.Equal(BackendFailure.Throttled, error.Failure);
        Assert.Equal(1, _h.Remote.CallsTo("http://other.example/recs"));
    }

    [Fact]
    public async Task A_request_the_backend_rejects_as_invalid_is_not_covered_up()
    {
        _h.Remote.Fail(Arn("main"), BackendFailure.InvalidRequest, "InvalidInputException");
        var error = await Assert.ThrowsAsync<RecommenderBackendException>(() => _h.ServeAsync("chain"));
        Assert.Equal(BackendFailure.InvalidRequest, error.Failure);
        Assert.Equal(0, _h.Remote.CallsTo("http://fallback.example/recs/{userId}"));
    }

    [Fact]
    public async Task A_fallback_answer_is_reused_for_its_short_max_age_then_the_primary_is_tried_again()
    {
        _h.Remote.Fail(Arn("main"), BackendFailure.Unavailable);
        var fallback = await _h.ServeAsync("chain");
        _h.Clock.Advance(TimeSpan.FromSeconds(4.9));
        Assert.Same(fallback, await _h.ServeAsync("chain"));
        Assert.Equal(1, _h.Remote.CallsTo(Arn("main")));

        _h.Remote.Recover(Arn("main"));
        _h.Clock.Advance(TimeSpan.FromSeconds(0.2));
        var primary = await _h.ServeAsync("chain");
        Assert.Equal("primary", primary.Source);
        Assert.Equal(2, _h.Remote.CallsTo(Arn("main")));

        // The recovered answer is cached under the primary's own max-age.
        _h.Clock.Advance(TimeSpan.FromSeconds(9));
        Assert.Same(primary, await _h.ServeAsync("chain"));
    }

    [Fact]
    public async Task A_fallback_never_replaces_a_good_cached_primary_answer()
    {
        var primary = await _h.ServeAsync("swr");
        _h.Remote.Fail(Arn("swr"), BackendFailure.Unavailable);

        // Past max-age, within stale-while-revalidate: the stale primary is served while the refresh fails.
        _h.Clock.Advance(TimeSpan.FromSeconds(11));
        Assert.Same(primary, await _h.ServeAsync("swr"));
        await WaitForCallsAsync(Arn("swr"), 2);

        // The failed refresh left a fallback beside the primary for 5 s...
        var fallback = await _h.ServeAsync("swr");
        Assert.Equal("fallback:1:builtin", fallback.Source);

        // ...and the primary answer is still there once it expires.
        _h.Clock.Advance(TimeSpan.FromSeconds(6));
        Assert.Same(primary, await _h.ServeAsync("swr"));
    }

    [Fact]
    public async Task A_fallback_answer_of_an_experiment_arm_names_no_experiment()
    {
        _h.Remote.Fail(Arn("one"), BackendFailure.Unavailable);
        _h.Remote.Fail(Arn("two"), BackendFailure.Unavailable);
        var query = _h.Query("ab", feature: "home");
        Assert.Equal("home", query.ExposedFeature);
        var response = await _h.Pipeline.ServeAsync(_h.Cache, query);
        Assert.StartsWith("fallback:", response.Source, StringComparison.Ordinal);
        Assert.Null(response.MatchedExperimentFeature);
        Assert.False(Body(response).TryGetProperty("matchedExperiment", out _));

        _h.Remote.Recover(Arn("one"));
        _h.Remote.Recover(Arn("two"));
        var served = await _h.Pipeline.ServeAsync(new ResponseCache<VersionedCacheKey>(_h.Clock), query);
        Assert.Equal("home", served.MatchedExperimentFeature);
    }

    [Fact]
    public async Task Stale_if_error_serves_the_expired_answer_before_any_fallback()
    {
        var primary = await _h.ServeAsync("sie");
        _h.Remote.Fail(Arn("sie"), BackendFailure.Unavailable);
        _h.Clock.Advance(TimeSpan.FromSeconds(10 + 59));
        var stale = await _h.ServeAsync("sie");
        Assert.Equal("stale", stale.Source);
        Assert.Equal("stale", BodySource(stale));
        Assert.Equal(Items(primary), Items(stale));
        Assert.Equal(Body(primary).GetProperty("recommendationId").GetString(), Body(stale).GetProperty("recommendationId").GetString());
        Assert.NotEqual(primary.ETag, stale.ETag);
        Assert.Equal("private, max-age=3", stale.CacheControl);

        // Reused for the policy's fallbackMaxAge (3 s) without calling the failing backend.
        _h.Clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Same(stale, await _h.ServeAsync("sie"));
        Assert.Equal(2, _h.Remote.CallsTo(Arn("sie")));
    }

    [Fact]
    public async Task Past_stale_if_error_the_fallback_answers()
    {
        await _h.ServeAsync("sie");
        _h.Remote.Fail(Arn("sie"), BackendFailure.Unavailable);
        _h.Clock.Advance(TimeSpan.FromSeconds(10 + 61));
        var response = await _h.ServeAsync("sie");
        Assert.Equal("fallback:1:builtin", response.Source);
    }

    [Fact]
    public async Task Stale_if_error_does_not_cover_an_invalid_request()
    {
        await _h.ServeAsync("sie");
        _h.Remote.Fail(Arn("sie"), BackendFailure.InvalidRequest);
        _h.Clock.Advance(TimeSpan.FromSeconds(11));
        await Assert.ThrowsAsync<RecommenderBackendException>(() => _h.ServeAsync("sie"));
    }

    [Fact]
    public async Task The_request_budget_bounds_the_primary_and_remote_fallbacks_together()
    {
        const string http = "http://fallback.example/recs/{userId}";
        await using var h = await StartAsync(Config, new BackendResilienceOptions { RequestBudget = TimeSpan.FromMilliseconds(1500) });
        h.Remote.Hang(Arn("main"));
        h.Remote.Hang(http);
        var pending = h.ServeAsync("chain");
        await UntilAsync(() => h.Remote.CallsTo(Arn("main")) == 1);
        h.Clock.Advance(TimeSpan.FromSeconds(1));

        // The primary used 1 s of 1.5 s: the HTTP fallback gets 0.5 s, not its own 2 s.
        await UntilAsync(() => h.Remote.CallsTo(http) == 1);
        h.Clock.Advance(TimeSpan.FromMilliseconds(499));
        await Task.Delay(50);
        Assert.False(pending.IsCompleted);
        h.Clock.Advance(TimeSpan.FromMilliseconds(1));
        var response = await pending.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("fallback:2:builtin", response.Source);
    }

    [Fact]
    public async Task A_spent_request_budget_skips_remote_fallbacks_but_not_the_built_in_one()
    {
        const string http = "http://fallback.example/recs/{userId}";
        await using var h = await StartAsync(Config, new BackendResilienceOptions { RequestBudget = TimeSpan.FromSeconds(1) });
        h.Remote.Hang(Arn("main"));
        var pending = h.ServeAsync("chain");
        await UntilAsync(() => h.Remote.CallsTo(Arn("main")) == 1);
        h.Clock.Advance(TimeSpan.FromSeconds(1));
        var response = await pending.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("fallback:2:builtin", response.Source);
        Assert.Equal(0, h.Remote.CallsTo(http));
    }

    private static async Task UntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 400 && !condition(); i++)
        {
            await Task.Delay(5);
        }

        Assert.True(condition());
    }

    private async Task WaitForCallsAsync(string key, int calls)
    {
        for (var i = 0; i < 400 && _h.Remote.CallsTo(key) < calls; i++)
        {
            await Task.Delay(5);
        }

        // The refresh runs in the background; give its fallback a moment to be stored.
        await Task.Delay(50);
    }
}
