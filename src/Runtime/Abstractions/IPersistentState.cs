namespace Personalization.Runtime;

/// <summary>
/// Durable state of one grain. Loaded before OnActivateAsync; written only when the grain calls WriteStateAsync.
/// Writes are compare-and-swap on <see cref="Etag"/>: a stale write throws <see cref="InconsistentStateException"/>
/// and the runtime drops the activation so that the next call reloads.
/// </summary>
public interface IPersistentState<TState> where TState : class, new()
{
    TState State { get; set; }
    string? Etag { get; }
    bool RecordExists { get; }
    Task ReadStateAsync(CancellationToken cancellationToken = default);
    Task WriteStateAsync(CancellationToken cancellationToken = default);
    Task ClearStateAsync(CancellationToken cancellationToken = default);
}

public sealed class InconsistentStateException : Exception
{
    public InconsistentStateException(string message, string? storedEtag, string? currentEtag)
        : base(message)
    {
        StoredEtag = storedEtag;
        CurrentEtag = currentEtag;
    }

    public string? StoredEtag { get; }
    public string? CurrentEtag { get; }
}
