namespace Personalization.Runtime.Tests.Grains;

public sealed class CounterGrain(Probe probe) : Grain, ICounterGrain
{
    private static readonly Task<int> Cached = Task.FromResult(42);
    private int _value;
    private int _inside;
    private int _overlaps;
    private int _activationNumber;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _activationNumber = probe.NextActivationNumber();
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        probe.OnDeactivated(GetPrimaryKeyString(), reason);
        return Task.CompletedTask;
    }

    public async Task<int> IncrementAsync()
    {
        if (Interlocked.Increment(ref _inside) != 1)
        {
            _overlaps++;
        }

        var read = _value;
        await Task.Yield();
        _value = read + 1;
        Interlocked.Decrement(ref _inside);
        return _value;
    }

    public ValueTask<int> GetAsync() => new(_value);

    public Task<int> GetCachedAsync() => Cached;

    public Task<int> OverlapsSeenAsync() => Task.FromResult(_overlaps);

    public Task<int> GetActivationNumberAsync() => Task.FromResult(_activationNumber);

    public Task<string> DescribeAsync(string prefix, int number, CancellationToken cancellationToken) =>
        Task.FromResult($"{prefix}:{number}:{GetPrimaryKeyString()}:{cancellationToken.CanBeCanceled}");

    public ValueTask DeactivateAsync()
    {
        DeactivateOnIdle();
        return ValueTask.CompletedTask;
    }
}
