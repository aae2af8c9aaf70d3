namespace Personalization.Runtime.Storage.Memory;

/// <summary>Grain storage in a <see cref="MemoryGrainStore"/>; for tests and the embedded single-silo default.</summary>
public sealed class MemoryGrainStorage(string name, MemoryGrainStore store) : IGrainStorage
{
    public Task<GrainStateRecord?> ReadAsync(GrainId grainId, string stateName, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(store.Read(name, grainId, stateName));
    }

    public Task<string> WriteAsync(GrainId grainId, string stateName, ReadOnlyMemory<byte> state, string? expectedEtag, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(store.Write(name, grainId, stateName, state.ToArray(), expectedEtag));
    }

    public Task ClearAsync(GrainId grainId, string stateName, string? expectedEtag, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        store.Clear(name, grainId, stateName, expectedEtag);
        return Task.CompletedTask;
    }
}
