using System.Collections.Concurrent;

namespace Personalization.LocalAws.Faults;

/// <summary>
/// Per-operation fault and latency plan: "fail the next N calls of PutEvents with ThrottlingException",
/// "add 20 ms to every call". The operation "*" applies to all operations.
/// </summary>
public sealed class FaultInjector
{
    public const string AnyOperation = "*";

    private readonly ConcurrentDictionary<string, Queue<InjectedFault>> _faults = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TimeSpan> _latency = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (double Share, InjectedFault Fault)> _shares = new(StringComparer.Ordinal);

    public void FailNext(string operation, int count, InjectedFault fault)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        var queue = _faults.GetOrAdd(operation, _ => new Queue<InjectedFault>());
        lock (queue)
        {
            for (var i = 0; i < count; i++)
            {
                queue.Enqueue(fault);
            }
        }
    }

    /// <summary>
    /// Fails <paramref name="percent"/>% of the calls of <paramref name="operation"/> until cleared: an outage for as
    /// long as a drill needs, without queueing one entry per call (a huge count would hold the queue's lock).
    /// </summary>
    public void FailShare(string operation, double percent, InjectedFault fault)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(percent);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(percent, 100);
        _shares[operation] = (percent / 100, fault);
    }

    public void SetLatency(string operation, TimeSpan latency)
    {
        if (latency <= TimeSpan.Zero)
        {
            _latency.TryRemove(operation, out _);
        }
        else
        {
            _latency[operation] = latency;
        }
    }

    public void Clear()
    {
        _faults.Clear();
        _latency.Clear();
        _shares.Clear();
    }

    public TimeSpan LatencyFor(string operation) =>
        _latency.TryGetValue(operation, out var own) ? own : _latency.GetValueOrDefault(AnyOperation);

    /// <summary>Takes the next planned fault for <paramref name="operation"/>, if any.</summary>
    public InjectedFault? Next(string operation) => Dequeue(operation) ?? Dequeue(AnyOperation) ?? Share(operation) ?? Share(AnyOperation);

    private InjectedFault? Share(string operation) =>
        _shares.TryGetValue(operation, out var share) && (share.Share >= 1 || Random.Shared.NextDouble() < share.Share) ? share.Fault : null;

    private InjectedFault? Dequeue(string operation)
    {
        if (!_faults.TryGetValue(operation, out var queue))
        {
            return null;
        }

        lock (queue)
        {
            return queue.TryDequeue(out var fault) ? fault : null;
        }
    }
}
