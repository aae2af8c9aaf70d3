using Microsoft.Extensions.Logging;

namespace Personalization.Runtime.Core;

/// <summary>
/// Keeps memory bounded: deactivates activations idle for CollectionAge (scanned every CollectionQuantum on the
/// runtime's TimeProvider), and when a grain type exceeds its cap, the least recently used idle ones.
/// </summary>
internal sealed class ActivationCollector(GrainRuntime runtime)
{
    private ITimer? _timer;
    private Task _lastCapacitySweep = Task.CompletedTask;

    /// <summary>The most recent capacity sweep (tests await it).</summary>
    public Task LastCapacitySweep => Volatile.Read(ref _lastCapacitySweep);

    public void Start()
    {
        var quantum = runtime.Options.CollectionQuantum;
        using (ExecutionContext.SuppressFlow())
        {
            _timer ??= runtime.TimeProvider.CreateTimer(static state => _ = ((ActivationCollector)state!).CollectIdleAsync(), this, quantum, quantum);
        }
    }

    public void Stop() => _timer?.Dispose();

    public Task CollectIdleAsync()
    {
        var age = runtime.Options.CollectionAge;
        var deactivations = new List<Task>();
        foreach (var activation in runtime.Activations)
        {
            if (activation.IsIdle && runtime.TimeProvider.GetElapsedTime(activation.LastUsedTimestamp) >= age)
            {
                deactivations.Add(activation.DeactivateAsync(new DeactivationReason(DeactivationReasonCode.ActivationIdle, $"idle for {age}")));
            }
        }

        return Task.WhenAll(deactivations);
    }

    public void OnActivationCreated(GrainTypeActivations type)
    {
        if (runtime.Options.CapacityOf(type.GrainType) is not { } cap || type.Live <= cap || !type.TryBeginCollecting())
        {
            return;
        }

        // Sweeping scans every activation: do it off the calling thread.
        var sweep = Task.Run(() => SweepOverCapacityAsync(type, cap));
        Volatile.Write(ref _lastCapacitySweep, sweep);
    }

    private async Task SweepOverCapacityAsync(GrainTypeActivations type, int cap)
    {
        try
        {
            // Evict a little below the cap so that a type at its cap does not sweep on every new activation.
            var target = cap - (cap / 16);
            var excess = type.Live - target;
            if (excess <= 0)
            {
                return;
            }

            var victims = runtime.Activations
                .Where(a => a.GrainId.Type == type.GrainType && a.IsIdle)
                .Select(a => (Activation: a, LastUsed: a.LastUsedTimestamp))
                .OrderBy(a => a.LastUsed)
                .Take(excess)
                .Select(a => a.Activation.DeactivateAsync(new DeactivationReason(DeactivationReasonCode.CapacityLimit, $"more than {cap} activations of {type.GrainType}")))
                .ToList();
            await Task.WhenAll(victims).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            runtime.Logger.LogError(exception, "Capacity sweep of {GrainType} failed", type.GrainType);
        }
        finally
        {
            type.EndCollecting();
        }
    }
}
