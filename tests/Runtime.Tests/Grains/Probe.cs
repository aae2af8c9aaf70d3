using System.Collections.Concurrent;

namespace Personalization.Runtime.Tests.Grains;

/// <summary>What test grains report to the test (registered as a singleton in the silo).</summary>
public sealed class Probe
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _deactivated = new();
    private int _activations;

    public int ActivationFailuresLeft { get; set; }

    public Task? HoldActivation { get; set; }

    public Task? HoldDeactivation { get; set; }

    public ConcurrentQueue<string> Events { get; } = new();

    public int NextActivationNumber() => Interlocked.Increment(ref _activations);

    public Task Deactivated(string key) => _deactivated.GetOrAdd(key, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    public void OnDeactivated(string key, DeactivationReason reason)
    {
        Events.Enqueue($"deactivated {key} {reason.Code}");
        _deactivated.GetOrAdd(key, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }
}

/// <summary>Lets a test see a call start and decide when it ends.</summary>
public sealed class Signal
{
    public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
