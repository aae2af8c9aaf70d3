namespace Personalization.Runtime.Tests.Grains;

/// <summary>Calls that block until the test releases them, to observe who holds the turn.</summary>
public interface IGateGrain : IGrainWithStringKey
{
    [ReadOnly]
    Task ReadAsync(Signal signal);

    Task WriteAsync(Signal signal);

    [AlwaysInterleave]
    Task<string> PingAsync();

    Task<string> CallSelfAsync();

    [ReadOnly]
    Task<string> CallSelfReadOnlyAsync();

    Task<string> CallSelfInterleavedAsync();

    Task<string> CallThroughAsync(string otherKey);

    Task<string> CallBackAsync(string originKey);

    Task<string> ExclusivePingAsync();

    Task<string> PingWithTokenAsync(string name, CancellationToken cancellationToken);

    Task ThrowAsync(Exception exception);

    ValueTask<int> ThrowValueAsync(Exception exception);

    Task ThrowSynchronously(Exception exception);
}
