namespace Personalization.Runtime.Tests.Grains;

public sealed class GateGrain : Grain, IGateGrain
{
    public static readonly System.Collections.Concurrent.ConcurrentBag<string> Calls = [];

    public async Task ReadAsync(Signal signal)
    {
        signal.Entered.TrySetResult();
        await signal.Release.Task;
    }

    public async Task WriteAsync(Signal signal)
    {
        signal.Entered.TrySetResult();
        await signal.Release.Task;
    }

    public Task<string> PingAsync() => Task.FromResult("pong " + GetPrimaryKeyString());

    public Task<string> ExclusivePingAsync() => Task.FromResult("exclusive pong " + GetPrimaryKeyString());

    public Task<string> PingWithTokenAsync(string name, CancellationToken cancellationToken)
    {
        Calls.Add(name);
        return Task.FromResult(name);
    }

    public Task<string> CallSelfAsync() => Self.ExclusivePingAsync();

    public Task<string> CallSelfReadOnlyAsync() => Self.ExclusivePingAsync();

    public Task<string> CallSelfInterleavedAsync() => Self.PingAsync();

    public async Task<string> CallThroughAsync(string otherKey)
    {
        await Task.Yield();
        return await GrainFactory.GetGrain<IGateGrain>(otherKey).CallBackAsync(GetPrimaryKeyString());
    }

    public async Task<string> CallBackAsync(string originKey)
    {
        await Task.Yield();
        return await GrainFactory.GetGrain<IGateGrain>(originKey).ExclusivePingAsync();
    }

    public async Task ThrowAsync(Exception exception)
    {
        await Task.Yield();
        throw exception;
    }

    public async ValueTask<int> ThrowValueAsync(Exception exception)
    {
        await Task.Yield();
        throw exception;
    }

    public Task ThrowSynchronously(Exception exception) => throw exception;

    private IGateGrain Self => GrainFactory.GetGrain<IGateGrain>(GetPrimaryKeyString());
}
