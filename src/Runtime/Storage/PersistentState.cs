using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Personalization.Runtime.Core;

namespace Personalization.Runtime.Storage;

/// <summary>A grain's durable state, serialized with System.Text.Json and kept with the ETag of the last read or write.</summary>
internal sealed class PersistentState<TState>(
    Activation activation,
    string stateName,
    string storageName,
    IGrainStorage storage,
    JsonTypeInfo<TState> typeInfo) : IPersistentState<TState>, IPersistentStateLoader
    where TState : class, new()
{
    public TState State { get; set; } = new();

    public string? Etag { get; private set; }

    public bool RecordExists { get; private set; }

    public Task LoadAsync(CancellationToken cancellationToken) => ReadStateAsync(cancellationToken);

    public async Task ReadStateAsync(CancellationToken cancellationToken = default)
    {
        var started = activation.Runtime.Metrics.StartStorage();
        var failed = true;
        try
        {
            var record = await storage.ReadAsync(activation.GrainId, stateName, cancellationToken).ConfigureAwait(false);
            if (record is null)
            {
                State = new TState();
                Etag = null;
                RecordExists = false;
            }
            else
            {
                State = JsonSerializer.Deserialize(record.State.Span, typeInfo) ?? new TState();
                Etag = record.Etag;
                RecordExists = true;
            }

            failed = false;
        }
        finally
        {
            activation.Runtime.Metrics.EndStorage(started, storageName, "read", failed);
        }
    }

    public async Task WriteStateAsync(CancellationToken cancellationToken = default)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(State, typeInfo);
        var started = activation.Runtime.Metrics.StartStorage();
        var failed = true;
        try
        {
            Etag = await storage.WriteAsync(activation.GrainId, stateName, bytes, Etag, cancellationToken).ConfigureAwait(false);
            RecordExists = true;
            failed = false;
        }
        catch (InconsistentStateException exception)
        {
            activation.OnInconsistentState(exception.Message);
            throw;
        }
        finally
        {
            activation.Runtime.Metrics.EndStorage(started, storageName, "write", failed);
        }
    }

    public async Task ClearStateAsync(CancellationToken cancellationToken = default)
    {
        var started = activation.Runtime.Metrics.StartStorage();
        var failed = true;
        try
        {
            await storage.ClearAsync(activation.GrainId, stateName, Etag, cancellationToken).ConfigureAwait(false);
            State = new TState();
            Etag = null;
            RecordExists = false;
            failed = false;
        }
        catch (InconsistentStateException exception)
        {
            activation.OnInconsistentState(exception.Message);
            throw;
        }
        finally
        {
            activation.Runtime.Metrics.EndStorage(started, storageName, "clear", failed);
        }
    }
}
