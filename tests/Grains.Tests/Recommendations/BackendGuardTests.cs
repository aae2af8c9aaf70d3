using System.Diagnostics.Metrics;
using Personalization.Grains.Recommendations;
using Personalization.Grains.Recommenders;
using Personalization.Grains.Recommenders.Resilience;
using Polly.CircuitBreaker;
using Xunit;
using static Personalization.Grains.Tests.Recommendations.FallbackHarness;

namespace Personalization.Grains.Tests.Recommendations;

/// <summary>
/// Issue 15 §3–§4: the per-call time budget, the circuit breaker shared by every grain of a silo, and the quota guard
/// dividing a backend's maxRequestsPerSecond among live silos. Each "user" has its own response cache (its grain's);
/// the guard is the silo's. Time is the manual clock, which drives Polly too.
/// </summary>
public sealed class BackendGuardTests : IAsyncLifetime
{
    private const string Config = """
        { "cacheControl": {
            "userSpecified": { "maxAge": 10, "directives": "private" },
            "syntheticUserSpecified": { "maxAge": 10 }, "noUserSpecified": { "maxAge": 10 } },
          "namespaces": { "shop": {
            "inferenceItemMetadata": { "type": "localdb", "path": "items.jsonl" },
            "recommenders": { "recommend-items": {
              "bare": { "variations": { "main": { "type": "personalize-campaign", "arn": "arn:aws:personalize:us-east-1:123456789012:campaign/guarded" } } },
              "also-bare": { "variations": { "main": { "type": "personalize-campaign", "arn": "arn:aws:personalize:us-east-1:123456789012:campaign/guarded" } } },
              "quota": { "cacheControl": { "staleIfError": 600, "userSpecified": { "maxAge": 10, "directives": "private" } },
                "variations": { "main": { "type": "personalize-campaign", "arn": "arn:aws:personalize:us-east-1:123456789012:campaign/quota",
                  "maxRequestsPerSecond": 4 } } } } } } } }
        """;

    private FallbackHarness _h = null!;

    public async Task InitializeAsync() => _h = await StartAsync(Config, liveSilos: 2);

    public async Task DisposeAsync() => await _h.DisposeAsync();

    /// <summary>A request of a new user: its own grain's empty cache, the silo's shared guard.</summary>
    private Task<CachedResponse> NewUserAsync(string recommender) =>
        _h.Pipeline.ServeAsync(new ResponseCache<VersionedCacheKey>(_h.Clock), _h.Query(recommender)).AsTask();

    [Fact]
    public async Task A_call_past_its_budget_is_cut_and_answered_by_the_fallback()
    {
        using var timeouts = new Measurements("recommendations.backend.timeouts");
        _h.Remote.Hang(Arn("guarded"));
        var pending = NewUserAsync("bare");
        await UntilAsync(() => _h.Remote.CallsTo(Arn("guarded")) == 1);
        _h.Clock.Advance(TimeSpan.FromMilliseconds(999));
        await Task.Delay(50);
        Assert.False(pending.IsCompleted);

        _h.Clock.Advance(TimeSpan.FromMilliseconds(1));
        var response = await pending.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("fallback:1:builtin", response.Source);
        Assert.Equal(1, timeouts.Sum(Arn("guarded")));
    }

    [Fact]
    public async Task The_breaker_opens_for_every_grain_of_the_silo_then_probes_and_closes()
    {
        using var rejected = new Measurements("recommendations.backend.circuit_rejected");
        _h.Remote.Fail(Arn("guarded"), BackendFailure.Unavailable);
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal("fallback:1:builtin", (await NewUserAsync("bare")).Source);
        }

        Assert.Equal(10, _h.Remote.CallsTo(Arn("guarded")));
        Assert.Equal(CircuitState.Open, _h.Guard.CircuitStateOf(Arn("guarded")));

        // Open: other users, and another recommender naming the same campaign, are answered without calling it.
        Assert.Equal("fallback:1:builtin", (await NewUserAsync("bare")).Source);
        Assert.Equal("fallback:1:builtin", (await NewUserAsync("also-bare")).Source);
        Assert.Equal(10, _h.Remote.CallsTo(Arn("guarded")));
        Assert.Equal(2, rejected.Sum(Arn("guarded")));

        // After the break one probe goes through; the backend has recovered, so the breaker closes.
        _h.Remote.Recover(Arn("guarded"));
        _h.Clock.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal("primary", (await NewUserAsync("bare")).Source);
        Assert.Equal(11, _h.Remote.CallsTo(Arn("guarded")));
        Assert.Equal(CircuitState.Closed, _h.Guard.CircuitStateOf(Arn("guarded")));
    }

    [Fact]
    public async Task A_failed_probe_keeps_the_breaker_open()
    {
        _h.Remote.Fail(Arn("guarded"), BackendFailure.Timeout);
        for (var i = 0; i < 10; i++)
        {
            await NewUserAsync("bare");
        }

        _h.Clock.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal("fallback:1:builtin", (await NewUserAsync("bare")).Source);
        Assert.Equal(11, _h.Remote.CallsTo(Arn("guarded")));
        Assert.Equal(CircuitState.Open, _h.Guard.CircuitStateOf(Arn("guarded")));
        Assert.Equal("fallback:1:builtin", (await NewUserAsync("bare")).Source);
        Assert.Equal(11, _h.Remote.CallsTo(Arn("guarded")));
    }

    [Fact]
    public async Task Invalid_requests_do_not_open_the_breaker()
    {
        _h.Remote.Fail(Arn("guarded"), BackendFailure.InvalidRequest);
        for (var i = 0; i < 12; i++)
        {
            await Assert.ThrowsAsync<RecommenderBackendException>(() => NewUserAsync("bare"));
        }

        Assert.Equal(CircuitState.Closed, _h.Guard.CircuitStateOf(Arn("guarded")));
    }

    [Fact]
    public async Task The_quota_guard_keeps_this_silos_share_and_sends_the_rest_to_fallback()
    {
        using var saved = new Measurements("recommendations.backend.quota_saved");

        // 4 per second across 2 live silos: this silo makes 2 calls a second.
        Assert.Equal("primary", (await NewUserAsync("quota")).Source);
        Assert.Equal("primary", (await NewUserAsync("quota")).Source);
        Assert.Equal("fallback:1:builtin", (await NewUserAsync("quota")).Source);
        Assert.Equal(2, _h.Remote.CallsTo(Arn("quota")));
        Assert.Equal(1, saved.Sum(Arn("quota")));

        _h.Clock.Advance(TimeSpan.FromMilliseconds(500));
        Assert.Equal("primary", (await NewUserAsync("quota")).Source);
        Assert.Equal("fallback:1:builtin", (await NewUserAsync("quota")).Source);
        Assert.Equal(3, _h.Remote.CallsTo(Arn("quota")));
        Assert.Equal(2, saved.Sum(Arn("quota")));
    }

    [Fact]
    public async Task Calls_an_open_breaker_refuses_spend_no_quota()
    {
        using var saved = new Measurements("recommendations.backend.quota_saved");
        _h.Remote.Fail(Arn("quota"), BackendFailure.Unavailable);
        for (var i = 0; i < 10; i++)
        {
            _h.Clock.Advance(TimeSpan.FromMilliseconds(500));
            await NewUserAsync("quota");
        }

        Assert.Equal(CircuitState.Open, _h.Guard.CircuitStateOf(Arn("quota")));
        Assert.Equal(0, saved.Sum(Arn("quota")));
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal("fallback:1:builtin", (await NewUserAsync("quota")).Source);
        }

        Assert.Equal(0, saved.Sum(Arn("quota")));
        Assert.Equal(10, _h.Remote.CallsTo(Arn("quota")));
    }

    [Fact]
    public async Task Over_quota_an_expired_answer_within_staleIfError_is_served_instead()
    {
        var cache = new ResponseCache<VersionedCacheKey>(_h.Clock);
        var primary = await _h.Pipeline.ServeAsync(cache, _h.Query("quota"));
        await NewUserAsync("quota");
        _h.Clock.Advance(TimeSpan.FromSeconds(11));
        for (var i = 0; i < 2; i++)
        {
            await NewUserAsync("quota");
        }

        var stale = await _h.Pipeline.ServeAsync(cache, _h.Query("quota"));
        Assert.Equal("stale", stale.Source);
        Assert.Equal(primary.RecommendationId, stale.RecommendationId);
        Assert.Equal(4, _h.Remote.CallsTo(Arn("quota")));
    }

    [Fact]
    public void The_token_bucket_refills_continuously_and_never_starves_a_small_share()
    {
        var clock = new Personalization.TestSupport.ManualTimeProvider();
        var bucket = new TokenBucket(clock);
        Assert.True(bucket.TryTake(0.5));
        Assert.False(bucket.TryTake(0.5));
        clock.Advance(TimeSpan.FromSeconds(1.9));
        Assert.False(bucket.TryTake(0.5));
        clock.Advance(TimeSpan.FromSeconds(0.1));
        Assert.True(bucket.TryTake(0.5));
    }

    private static async Task UntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 400 && !condition(); i++)
        {
            await Task.Delay(5);
        }

        Assert.True(condition());
    }

    /// <summary>Measurements of one instrument, by its backend tag (tests run in parallel: filter by the backend).</summary>
    private sealed class Measurements : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly List<(long Value, string? Backend)> _values = [];

        public Measurements(string instrument)
        {
            _listener.InstrumentPublished = (i, l) =>
            {
                if (i.Name == instrument)
                {
                    l.EnableMeasurementEvents(i);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
            {
                string? backend = null;
                foreach (var tag in tags)
                {
                    backend = tag.Key == "backend" ? tag.Value as string : backend;
                }

                lock (_values)
                {
                    _values.Add((value, backend));
                }
            });
            _listener.Start();
        }

        public long Sum(string backend)
        {
            lock (_values)
            {
                return _values.Where(v => v.Backend == backend).Sum(v => v.Value);
            }
        }

        public void Dispose() => _listener.Dispose();
    }
}
