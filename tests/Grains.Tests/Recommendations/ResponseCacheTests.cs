using Personalization.Grains.Recommendations;
using Personalization.TestSupport;
using Xunit;

namespace Personalization.Grains.Tests.Recommendations;

public sealed class ResponseCacheTests
{
    private readonly ManualTimeProvider _clock = new();

    private sealed class Backend
    {
        public int Calls;
        public TaskCompletionSource<CachedResponse>? Gate;

        public Task<CachedResponse> Fetch()
        {
            var call = Interlocked.Increment(ref Calls);
            var response = new CachedResponse([(byte)call], $"\"{call}\"", "private, max-age=10", 10);
            return Gate is null ? Task.FromResult(response) : Gate.Task;
        }
    }

    private static readonly FetchPlan<Backend> FetchOnly = new() { Primary = static (b, _) => b.Fetch() };

    private static ValueTask<CachedResponse> Get(ResponseCache<string> cache, Backend backend, string key = "k", int maxAge = 10, int stale = 0) =>
        cache.GetOrFetchAsync(key, new CacheWindows(TimeSpan.FromSeconds(maxAge), TimeSpan.FromSeconds(stale)), backend, FetchOnly, CancellationToken.None);

    [Fact]
    public async Task Hit_within_max_age_returns_the_same_bytes_without_fetching()
    {
        var cache = new ResponseCache<string>(_clock);
        var backend = new Backend();
        var first = await Get(cache, backend);
        _clock.Advance(TimeSpan.FromSeconds(9.9));
        var second = await Get(cache, backend);
        Assert.Same(first, second);
        Assert.Equal(1, backend.Calls);
    }

    [Fact]
    public async Task Expired_entry_is_fetched_again()
    {
        var cache = new ResponseCache<string>(_clock);
        var backend = new Backend();
        await Get(cache, backend);
        _clock.Advance(TimeSpan.FromSeconds(10));
        var second = await Get(cache, backend);
        Assert.Equal(2, backend.Calls);
        Assert.Equal("\"2\"", second.ETag);
    }

    [Fact]
    public async Task Concurrent_misses_share_one_fetch()
    {
        var cache = new ResponseCache<string>(_clock);
        var backend = new Backend { Gate = new TaskCompletionSource<CachedResponse>() };
        var waiters = Enumerable.Range(0, 100).Select(_ => Get(cache, backend).AsTask()).ToArray();
        Assert.Equal(1, backend.Calls);
        backend.Gate.SetResult(new CachedResponse([1], "\"x\"", null, 10));
        var results = await Task.WhenAll(waiters);
        Assert.All(results, r => Assert.Equal("\"x\"", r.ETag));
        Assert.Equal(1, backend.Calls);
    }

    [Fact]
    public async Task Failures_are_not_cached_and_reach_every_waiter()
    {
        var cache = new ResponseCache<string>(_clock);
        var backend = new Backend { Gate = new TaskCompletionSource<CachedResponse>() };
        var a = Get(cache, backend).AsTask();
        var b = Get(cache, backend).AsTask();
        backend.Gate.SetException(new InvalidOperationException("backend down"));
        await Assert.ThrowsAsync<InvalidOperationException>(() => a);
        await Assert.ThrowsAsync<InvalidOperationException>(() => b);
        backend.Gate = null;
        var recovered = await Get(cache, backend);
        Assert.Equal(2, backend.Calls);
        Assert.Equal("\"2\"", recovered.ETag);
    }

    [Fact]
    public async Task Stale_entry_is_served_while_one_refresh_runs()
    {
        var cache = new ResponseCache<string>(_clock);
        var backend = new Backend();
        var first = await Get(cache, backend, stale: 30);
        _clock.Advance(TimeSpan.FromSeconds(15));
        backend.Gate = new TaskCompletionSource<CachedResponse>();
        var stale1 = await Get(cache, backend, stale: 30);
        var stale2 = await Get(cache, backend, stale: 30);
        Assert.Same(first, stale1);
        Assert.Same(first, stale2);
        Assert.Equal(2, backend.Calls);
        var refreshed = new CachedResponse([9], "\"9\"", null, 10);
        backend.Gate.SetResult(refreshed);
        await Task.Yield();
        await WaitUntil(async () => ReferenceEquals(await Get(cache, backend, stale: 30), refreshed));
    }

    [Fact]
    public async Task Beyond_the_stale_window_the_caller_waits_for_a_fresh_answer()
    {
        var cache = new ResponseCache<string>(_clock);
        var backend = new Backend();
        await Get(cache, backend, stale: 5);
        _clock.Advance(TimeSpan.FromSeconds(16));
        var fresh = await Get(cache, backend, stale: 5);
        Assert.Equal("\"2\"", fresh.ETag);
    }

    [Fact]
    public async Task A_degraded_answer_of_the_primary_is_kept_only_for_the_stand_in_window_and_never_replaces_a_good_one()
    {
        var cache = new ResponseCache<string>(_clock);
        var fetches = 0;
        var plan = new FetchPlan<int>
        {
            Primary = (_, _) => Task.FromResult(++fetches == 2
                ? new CachedResponse(new SerializedBody(new byte[] { 2 }), "\"2\"", "private, max-age=5", 5, source: ResponseSources.Unprocessed)
                : new CachedResponse([(byte)fetches], $"\"{fetches}\"", "private, max-age=10", 10)),
        };
        var windows = new CacheWindows(TimeSpan.FromSeconds(10), TimeSpan.Zero, StandInMaxAge: TimeSpan.FromSeconds(5));
        ValueTask<CachedResponse> Get() => cache.GetOrFetchAsync("k", windows, 0, plan, CancellationToken.None);

        await Get();
        _clock.Advance(TimeSpan.FromSeconds(10));
        var degraded = await Get();
        _clock.Advance(TimeSpan.FromSeconds(4.9));
        Assert.Same(degraded, await Get());
        Assert.Equal(2, fetches);

        _clock.Advance(TimeSpan.FromSeconds(0.1));
        var recovered = await Get();
        Assert.Equal((3, "\"3\"", true), (fetches, recovered.ETag, recovered.IsPrimary));
        Assert.Same(recovered, await Get());
    }

    [Fact]
    public async Task Zero_max_age_is_never_stored()
    {
        var cache = new ResponseCache<string>(_clock);
        var backend = new Backend();
        await Get(cache, backend, maxAge: 0);
        await Get(cache, backend, maxAge: 0);
        Assert.Equal(2, backend.Calls);
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public async Task Clear_drops_entries_and_ignores_the_result_of_a_fetch_started_before()
    {
        var cache = new ResponseCache<string>(_clock);
        var backend = new Backend { Gate = new TaskCompletionSource<CachedResponse>() };
        var pending = Get(cache, backend).AsTask();
        cache.Clear();
        backend.Gate.SetResult(new CachedResponse([1], "\"old\"", null, 10));
        Assert.Equal("\"old\"", (await pending).ETag);
        backend.Gate = null;
        var next = await Get(cache, backend);
        Assert.Equal("\"2\"", next.ETag);
    }

    [Fact]
    public async Task Least_recently_used_entries_are_evicted_beyond_capacity()
    {
        var cache = new ResponseCache<string>(_clock, maxEntries: 2);
        var backend = new Backend();
        await Get(cache, backend, "a");
        await Get(cache, backend, "b");
        await Get(cache, backend, "a");
        await Get(cache, backend, "c");
        Assert.Equal(2, cache.Count);
        await Get(cache, backend, "a");
        Assert.Equal(3, backend.Calls);
        await Get(cache, backend, "b");
        Assert.Equal(4, backend.Calls);
    }

    [Fact]
    public async Task One_key_then_more_keys_each_keep_their_answer_until_cleared()
    {
        // The first entry is held without a dictionary; the second key moves both into one.
        var cache = new ResponseCache<string>(_clock);
        var backend = new Backend();
        var a = await Get(cache, backend, "a");
        Assert.Same(a, await Get(cache, backend, "a"));
        Assert.Equal(1, cache.Count);
        var b = await Get(cache, backend, "b");
        Assert.Equal(2, cache.Count);
        Assert.Same(a, await Get(cache, backend, "a"));
        Assert.Same(b, await Get(cache, backend, "b"));
        Assert.Equal(2, backend.Calls);
        cache.Clear();
        Assert.Equal(0, cache.Count);
        Assert.NotSame(a, await Get(cache, backend, "a"));
        Assert.Equal(3, backend.Calls);

        var single = new ResponseCache<string>(_clock);
        await Get(single, backend, "x");
        single.Clear();
        Assert.Equal(0, single.Count);
        await Get(single, backend, "x");
        Assert.Equal(5, backend.Calls);
    }

    private static async Task WaitUntil(Func<Task<bool>> condition)
    {
        for (var i = 0; i < 200; i++)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(5);
        }

        Assert.Fail("condition not reached");
    }
}
