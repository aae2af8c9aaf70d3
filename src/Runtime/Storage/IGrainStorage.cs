namespace Personalization.Runtime.Storage;

/// <summary>
/// A named grain-state store (registered as a keyed IGrainStorage). Stores opaque bytes with an ETag; every write and
/// clear is compare-and-swap on the ETag and throws <see cref="InconsistentStateException"/> when it is stale.
/// </summary>
public interface IGrainStorage
{
    Task<GrainStateRecord?> ReadAsync(GrainId grainId, string stateName, CancellationToken cancellationToken);

    /// <summary>Writes the state if the stored ETag equals <paramref name="expectedEtag"/> (null: no record may exist). Returns the new ETag.</summary>
    Task<string> WriteAsync(GrainId grainId, string stateName, ReadOnlyMemory<byte> state, string? expectedEtag, CancellationToken cancellationToken);

    /// <summary>Removes the record if the stored ETag equals <paramref name="expectedEtag"/>.</summary>
    Task ClearAsync(GrainId grainId, string stateName, string? expectedEtag, CancellationToken cancellationToken);
}

public sealed record GrainStateRecord(ReadOnlyMemory<byte> State, string Etag);
