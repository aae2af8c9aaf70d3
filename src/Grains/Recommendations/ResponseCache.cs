namespace Personalization.Grains.Recommendations;

/// <summary>
/// One user's recent responses, keyed by everything that shapes them. A hit returns the stored bytes without I/O or
/// allocation; concurrent misses for one key share one fetch (single flight); within the stale window a stale entry
/// is served while one background refresh runs. Failures are never cached. Bounded: least recently used entries
/// are dropped beyond <see cref="MaxEntries"/>.
/// </summary>
public sealed class ResponseCache<TKey>(TimeProvider timeProvider, int maxEntries = 32)
    where TKey : IEquatable<TKey>
{
    // Most users ask one question: their one entry is held directly, and the dictionary (with its bucket and entry
    // arrays, ~0.5 KB) is made for the second key. Either _single or _entries holds the entries, never both.
    private Entry? _single;
    private Dictionary<TKey, Entry>? _entries;
    private readonly object _gate = new();
    private long _useCounter;

    public int MaxEntries { get; } = maxEntries;

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _entries?.Count ?? (_single is null ? 0 : 1);
            }
        }
    }

    /// <summary>
    /// Returns the cached response for <paramref name="key"/>, fetching it at most once at a time. When the fetch
    /// fails, an expired answer within <see cref="CacheWindows.StaleIfError"/> stands in for it, else the plan's
    /// fallback; a stand-in is kept for <see cref="CacheWindows.StandInMaxAge"/> beside the primary answer, never in
    /// its place, so the good answer stays for stale-if-error and a recovered backend replaces the stand-in at once.
    /// </summary>
    /// <param name="plan">Static per caller: the delegates take <paramref name="state"/>, so a call allocates no closure.</param>
    public ValueTask<CachedResponse> GetOrFetchAsync<TState>(
        TKey key,
        CacheWindows windows,
        TState state,
        FetchPlan<TState> plan,
        CancellationToken cancellationToken)
    {
        var now = timeProvider.GetTimestamp();
        Entry entry;
        CachedResponse? stale = null;
        TaskCompletionSource<CachedResponse>? started = null;
        Task<CachedResponse> pending;
        int generation;
        lock (_gate)
        {
            if (TryGet(key, out var existing))
            {
                entry = existing;
                entry.LastUse = ++_useCounter;
                if (entry.Value is { } value && now < entry.FreshUntil)
                {
                    return new ValueTask<CachedResponse>(value);
                }

                // A recent failure was answered by a stand-in: the backend is left alone until it expires.
                if (entry.StandIn is { } standIn && now < entry.StandInUntil)
                {
                    return new ValueTask<CachedResponse>(standIn);
                }

                if (entry.Value is { } staleValue && now < entry.StaleUntil)
                {
                    stale = staleValue;
                }
            }
            else
            {
                entry = new Entry { Key = key, LastUse = ++_useCounter };
                Add(entry);
                EvictBeyondCapacity();
            }

            if (entry.InFlight is null)
            {
                started = new TaskCompletionSource<CachedResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
                entry.InFlight = started.Task;
            }

            pending = entry.InFlight;
            generation = entry.Generation;
        }

        if (started is not null)
        {
            // The fetch outlives any one caller: a caller that gives up must not cancel the others' shared result.
            _ = RunFetchAsync(key, entry, generation, windows, started, state, plan);
        }

        return stale is not null
            ? new ValueTask<CachedResponse>(stale)
            : new ValueTask<CachedResponse>(pending.WaitAsync(cancellationToken));
    }

    /// <summary>Drops every entry, e.g. after the user's events make cached answers stale.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            // In-flight fetches still complete their waiters, but their results are not stored (generation check).
            if (_single is { } single)
            {
                single.Generation++;
                _single = null;
            }

            if (_entries is { } entries)
            {
                foreach (var entry in entries.Values)
                {
                    entry.Generation++;
                }

                entries.Clear();
            }
        }
    }

    private async Task RunFetchAsync<TState>(
        TKey key,
        Entry entry,
        int generation,
        CacheWindows windows,
        TaskCompletionSource<CachedResponse> completion,
        TState state,
        FetchPlan<TState> plan)
    {
        CachedResponse response;
        try
        {
            response = await plan.Primary(state, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            await StandInAsync(key, entry, generation, windows, completion, state, plan, exception).ConfigureAwait(false);
            return;
        }

        lock (_gate)
        {
            entry.InFlight = null;
            if (!response.IsPrimary)
            {
                // A degraded answer of the primary (its post-processor failed) is kept like a stand-in: briefly, beside the good one.
                if (entry.Generation == generation && windows.StandInMaxAge > TimeSpan.Zero)
                {
                    entry.StandIn = response;
                    entry.StandInUntil = timeProvider.GetTimestamp() + ToTimestamp(windows.StandInMaxAge);
                }
                else
                {
                    RemoveIfEmpty(key, entry);
                }
            }
            else if (entry.Generation == generation && windows.MaxAge > TimeSpan.Zero)
            {
                entry.Value = response;
                entry.FreshUntil = timeProvider.GetTimestamp() + ToTimestamp(windows.MaxAge);
                entry.StaleUntil = entry.FreshUntil + ToTimestamp(windows.StaleWhileRevalidate);
                entry.ErrorUntil = entry.FreshUntil + ToTimestamp(windows.StaleIfError);
                entry.StandIn = null;
            }
            else
            {
                RemoveIfEmpty(key, entry);
            }
        }

        completion.SetResult(response);
    }

    private async Task StandInAsync<TState>(
        TKey key,
        Entry entry,
        int generation,
        CacheWindows windows,
        TaskCompletionSource<CachedResponse> completion,
        TState state,
        FetchPlan<TState> plan,
        Exception failure)
    {
        CachedResponse? expired = null;
        lock (_gate)
        {
            if (entry.Generation == generation && entry.Value is { } value && timeProvider.GetTimestamp() < entry.ErrorUntil)
            {
                expired = value;
            }
        }

        CachedResponse? standIn = null;
        try
        {
            if (expired is not null && plan.Stale is { } stale)
            {
                standIn = stale(state, failure, expired);
            }

            if (standIn is null && plan.Fallback is { } fallback)
            {
                standIn = await fallback(state, failure, CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (Exception exception)
        {
            failure = exception;
            standIn = null;
        }

        lock (_gate)
        {
            entry.InFlight = null;
            if (standIn is not null && entry.Generation == generation && windows.StandInMaxAge > TimeSpan.Zero)
            {
                entry.StandIn = standIn;
                entry.StandInUntil = timeProvider.GetTimestamp() + ToTimestamp(windows.StandInMaxAge);
            }
            else
            {
                RemoveIfEmpty(key, entry);
            }
        }

        if (standIn is null)
        {
            completion.SetException(failure);
        }
        else
        {
            completion.SetResult(standIn);
        }
    }

    private void RemoveIfEmpty(TKey key, Entry entry)
    {
        if (entry.Value is null && entry.StandIn is null && TryGet(key, out var current) && ReferenceEquals(current, entry))
        {
            Remove(key);
        }
    }

    private bool TryGet(TKey key, out Entry entry)
    {
        if (_entries is { } entries)
        {
            return entries.TryGetValue(key, out entry!);
        }

        entry = _single!;
        return _single is not null && _single.Key.Equals(key);
    }

    private void Add(Entry entry)
    {
        if (_entries is null && _single is null)
        {
            _single = entry;
            return;
        }

        if (_entries is null)
        {
            _entries = new Dictionary<TKey, Entry> { [_single!.Key] = _single };
            _single = null;
        }

        _entries[entry.Key] = entry;
    }

    private void Remove(TKey key)
    {
        if (_entries is { } entries)
        {
            entries.Remove(key);
        }
        else if (_single is not null && _single.Key.Equals(key))
        {
            _single = null;
        }
    }

    private long ToTimestamp(TimeSpan span) => (long)(span.TotalSeconds * timeProvider.TimestampFrequency);

    private void EvictBeyondCapacity()
    {
        if (_entries is not { } entries)
        {
            // One entry: only a cache of no capacity is beyond it, and an entry being fetched is never evicted.
            if (_single is { InFlight: null } single && MaxEntries < 1)
            {
                _single = null;
            }

            return;
        }

        while (entries.Count > MaxEntries)
        {
            Entry? oldest = null;
            foreach (var entry in entries.Values)
            {
                if (entry.InFlight is null && (oldest is null || entry.LastUse < oldest.LastUse))
                {
                    oldest = entry;
                }
            }

            if (oldest is null)
            {
                return;
            }

            entries.Remove(oldest.Key);
        }
    }

    private sealed class Entry
    {
        public required TKey Key;
        public CachedResponse? Value;
        public Task<CachedResponse>? InFlight;
        public long FreshUntil;
        public long StaleUntil;
        public long ErrorUntil;
        public CachedResponse? StandIn;
        public long StandInUntil;
        public long LastUse;
        public int Generation;
    }
}

/// <summary>How long a response is fresh, served while revalidating, served when the backend fails, and how long a stand-in (stale or fallback answer) is kept.</summary>
public readonly record struct CacheWindows(TimeSpan MaxAge, TimeSpan StaleWhileRevalidate, TimeSpan StaleIfError = default, TimeSpan StandInMaxAge = default);

/// <summary>What a miss runs: the primary fetch and, when it fails, what may stand in for it.</summary>
public sealed class FetchPlan<TState>
{
    public required Func<TState, CancellationToken, Task<CachedResponse>> Primary { get; init; }

    /// <summary>Turns an expired answer still within stale-if-error into the stand-in for the failure; null declines.</summary>
    public Func<TState, Exception, CachedResponse, CachedResponse?>? Stale { get; init; }

    /// <summary>Answers when the primary failed and no stale answer applies; throws when nothing can.</summary>
    public Func<TState, Exception, CancellationToken, Task<CachedResponse>>? Fallback { get; init; }
}
