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
    private readonly Dictionary<TKey, Entry> _entries = [];
    private readonly object _gate = new();
    private long _useCounter;

    public int MaxEntries { get; } = maxEntries;

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>Returns the cached response for <paramref name="key"/>, fetching it at most once at a time.</summary>
    /// <param name="fetch">Produces a fresh response; a static lambda with <paramref name="state"/> avoids a closure per call.</param>
    public ValueTask<CachedResponse> GetOrFetchAsync<TState>(
        TKey key,
        TimeSpan maxAge,
        TimeSpan staleWindow,
        TState state,
        Func<TState, CancellationToken, Task<CachedResponse>> fetch,
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
            if (_entries.TryGetValue(key, out var existing))
            {
                entry = existing;
                entry.LastUse = ++_useCounter;
                if (entry.Value is { } value && now < entry.FreshUntil)
                {
                    return new ValueTask<CachedResponse>(value);
                }

                if (entry.Value is { } staleValue && now < entry.StaleUntil)
                {
                    stale = staleValue;
                }
            }
            else
            {
                entry = new Entry { LastUse = ++_useCounter };
                _entries[key] = entry;
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
            _ = RunFetchAsync(key, entry, generation, maxAge, staleWindow, started, state, fetch);
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
            foreach (var entry in _entries.Values)
            {
                entry.Generation++;
            }

            _entries.Clear();
        }
    }

    private async Task RunFetchAsync<TState>(
        TKey key,
        Entry entry,
        int generation,
        TimeSpan maxAge,
        TimeSpan staleWindow,
        TaskCompletionSource<CachedResponse> completion,
        TState state,
        Func<TState, CancellationToken, Task<CachedResponse>> fetch)
    {
        CachedResponse response;
        try
        {
            response = await fetch(state, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            lock (_gate)
            {
                entry.InFlight = null;
                RemoveIfEmpty(key, entry);
            }

            completion.SetException(exception);
            return;
        }

        lock (_gate)
        {
            entry.InFlight = null;
            if (entry.Generation == generation && maxAge > TimeSpan.Zero)
            {
                entry.Value = response;
                entry.FreshUntil = timeProvider.GetTimestamp() + ToTimestamp(maxAge);
                entry.StaleUntil = entry.FreshUntil + ToTimestamp(staleWindow);
            }
            else
            {
                RemoveIfEmpty(key, entry);
            }
        }

        completion.SetResult(response);
    }

    private void RemoveIfEmpty(TKey key, Entry entry)
    {
        if (entry.Value is null && _entries.TryGetValue(key, out var current) && ReferenceEquals(current, entry))
        {
            _entries.Remove(key);
        }
    }

    private long ToTimestamp(TimeSpan span) => (long)(span.TotalSeconds * timeProvider.TimestampFrequency);

    private void EvictBeyondCapacity()
    {
        while (_entries.Count > MaxEntries)
        {
            var oldest = default(TKey);
            var oldestUse = long.MaxValue;
            foreach (var (key, entry) in _entries)
            {
                if (entry.LastUse < oldestUse && entry.InFlight is null)
                {
                    oldest = key;
                    oldestUse = entry.LastUse;
                }
            }

            if (oldestUse == long.MaxValue)
            {
                return;
            }

            _entries.Remove(oldest!);
        }
    }

    private sealed class Entry
    {
        public CachedResponse? Value;
        public Task<CachedResponse>? InFlight;
        public long FreshUntil;
        public long StaleUntil;
        public long LastUse;
        public int Generation;
    }
}
