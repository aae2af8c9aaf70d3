namespace Personalization.Runtime.Tests.Grains;

/// <summary>Fails activation while the probe says so, holds deactivation while the probe says so, runs a timer.</summary>
[GrainType("lifecycle")]
public sealed class LifecycleGrain(Probe probe) : Grain, ILifecycleGrain
{
    private int _activationNumber;
    private int _ticksStarted;
    private int _running;
    private int _maxRunning;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (probe.HoldActivation is { } hold)
        {
            await hold;
        }

        if (probe.ActivationFailuresLeft > 0)
        {
            probe.ActivationFailuresLeft--;
            throw new InvalidOperationException("activation failed on purpose");
        }

        _activationNumber = probe.NextActivationNumber();
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (probe.HoldDeactivation is { } hold)
        {
            await hold;
        }

        probe.OnDeactivated(GetPrimaryKeyString(), reason);
    }

    public Task<int> GetActivationNumberAsync() => Task.FromResult(_activationNumber);

    public Task StartTimerAsync(TimeSpan period, Signal[] ticks)
    {
        RegisterGrainTimer(
            async _ =>
            {
                var tick = ticks[_ticksStarted++];
                _maxRunning = Math.Max(_maxRunning, ++_running);
                tick.Entered.TrySetResult();
                await tick.Release.Task;
                _running--;
            },
            period,
            period);
        return Task.CompletedTask;
    }

    public Task<int> TicksStartedAsync() => Task.FromResult(_ticksStarted);

    public Task<int> MaxConcurrentTicksAsync() => Task.FromResult(_maxRunning);
}
