using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Orleans.Hosting;
using Orleans.Runtime;
using Orleans.Runtime.Hosting;
using Orleans.Serialization;
using Orleans.Storage;

namespace Personalization.TestSupport;

/// <summary>
/// Grain storage for tests that outlives any one silo of an in-process cluster: every silo given the same
/// <see cref="SharedGrainStore"/> reads what another wrote, so state survives a silo being stopped or killed (as it
/// would in DynamoDB or Redis). States are stored serialized, so silos never share an object. ETags are random and
/// checked as Orleans' storage contract asks: a stale or missing ETag throws <see cref="InconsistentStateException"/>.
/// </summary>
public sealed class SharedGrainStorage(SharedGrainStore store, Serializer serializer) : IGrainStorage
{
    // Orleans calls these overloads; honouring the token as real providers do lets tests see a cancelled write.
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ReadStateAsync(stateName, grainId, grainState);
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return WriteStateAsync(stateName, grainId, grainState);
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ClearStateAsync(stateName, grainId, grainState);
    }

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (store.Records.TryGetValue((stateName, grainId.ToString()), out var record))
        {
            grainState.State = serializer.Deserialize<T>(record.Data);
            grainState.ETag = record.ETag;
            grainState.RecordExists = true;
        }
        else
        {
            grainState.State = Activator.CreateInstance<T>();
            grainState.ETag = null;
            grainState.RecordExists = false;
        }

        return Task.CompletedTask;
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var key = (stateName, grainId.ToString());
        var written = new SharedGrainStore.Record(serializer.SerializeToArray(grainState.State), Guid.NewGuid().ToString("N"));
        await store.Writes.Passage.ConfigureAwait(false);
        lock (store.Records)
        {
            var exists = store.Records.TryGetValue(key, out var current);
            if (exists ? current!.ETag != grainState.ETag : grainState.ETag is not null)
            {
                throw new InconsistentStateException($"ETag mismatch writing {stateName} of {grainId}", current?.ETag, grainState.ETag);
            }

            store.Records[key] = written;
        }

        store.WritesByRecord.AddOrUpdate(key, 1, static (_, n) => n + 1);
        grainState.ETag = written.ETag;
        grainState.RecordExists = true;
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var key = (stateName, grainId.ToString());
        lock (store.Records)
        {
            if (store.Records.TryGetValue(key, out var current) && current.ETag != grainState.ETag)
            {
                throw new InconsistentStateException($"ETag mismatch clearing {stateName} of {grainId}", current.ETag, grainState.ETag);
            }

            store.Records.TryRemove(key, out _);
        }

        grainState.ETag = null;
        grainState.RecordExists = false;
        grainState.State = Activator.CreateInstance<T>();
        return Task.CompletedTask;
    }
}

/// <summary>The records behind <see cref="SharedGrainStorage"/>; one per test cluster.</summary>
public sealed class SharedGrainStore
{
    public ConcurrentDictionary<(string StateName, string GrainId), Record> Records { get; } = new();

    /// <summary>
    /// Writes accepted per record: tests sharing one cluster count the writes of their own grain, which other
    /// grains' timers cannot disturb.
    /// </summary>
    public ConcurrentDictionary<(string StateName, string GrainId), int> WritesByRecord { get; } = new();

    /// <summary>Held, writes hang as they would during a storage outage (the state is serialized first, as real providers do).</summary>
    public CallGate Writes { get; } = new();

    public sealed record Record(byte[] Data, string ETag);

    /// <summary>Writes accepted so far of state <paramref name="stateName"/> of grain <paramref name="grainId"/>.</summary>
    public int WritesFor(string stateName, GrainId grainId) => WritesByRecord.GetValueOrDefault((stateName, grainId.ToString()));
}

public static class SharedGrainStorageExtensions
{
    /// <summary>Makes <paramref name="store"/> this silo's default grain storage (last registration wins).</summary>
    public static ISiloBuilder AddSharedGrainStorageAsDefault(this ISiloBuilder silo, SharedGrainStore store)
    {
        silo.Services.AddGrainStorage("Default", (sp, _) => new SharedGrainStorage(store, sp.GetRequiredService<Serializer>()));
        return silo;
    }
}
