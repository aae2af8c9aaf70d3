namespace Personalization.Grains.Events;

/// <summary>
/// The completion of one synchronous request across all its targets: each target's queue reports every record
/// once (delivered or finally failed); when all have, the request can answer. One allocation per request.
/// </summary>
internal sealed class DeliveryTicket
{
    private readonly Tally[] _tallies;
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _pendingTargets;

    public DeliveryTicket(int targets, int recordsPerTarget)
    {
        _tallies = new Tally[targets];
        for (var i = 0; i < targets; i++)
        {
            _tallies[i].Remaining = recordsPerTarget;
        }

        _pendingTargets = recordsPerTarget == 0 ? 0 : targets;
        if (_pendingTargets == 0)
        {
            _done.SetResult();
        }
    }

    public Task Completion => _done.Task;

    public void Report(int slot, in RecordOutcome outcome)
    {
        ref var tally = ref _tallies[slot];
        if (outcome.Status == RecordStatus.Delivered)
        {
            Interlocked.Increment(ref tally.Delivered);
        }
        else
        {
            lock (_tallies)
            {
                tally.Failed++;
                tally.Error ??= outcome;
            }
        }

        if (Interlocked.Decrement(ref tally.Remaining) == 0 && Interlocked.Decrement(ref _pendingTargets) == 0)
        {
            _done.TrySetResult();
        }
    }

    public (int Delivered, int Failed, RecordOutcome? Error) Result(int slot)
    {
        lock (_tallies)
        {
            ref var tally = ref _tallies[slot];
            return (Volatile.Read(ref tally.Delivered), tally.Failed, tally.Error);
        }
    }

    private struct Tally
    {
        public int Remaining;
        public int Delivered;
        public int Failed;
        public RecordOutcome? Error;
    }
}
