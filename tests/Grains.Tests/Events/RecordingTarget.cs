using Personalization.Grains.Events;

namespace Personalization.Grains.Tests.Events;

/// <summary>
/// A target that records every batch and answers with <see cref="Respond"/> (delivered by default). Sends can be
/// held on <see cref="Gate"/> until the test releases them.
/// </summary>
internal sealed class RecordingTarget(string name, int maxRecords = 500, int maxConcurrentBatches = 1) : IEventTarget
{
    private readonly object _lock = new();
    private readonly List<IReadOnlyList<EventRecord>> _calls = [];
    private readonly List<EventRecord> _delivered = [];

    public string Name { get; } = name;

    public TargetBatchLimits Limits { get; } = new(maxRecords, MaxConcurrentBatches: maxConcurrentBatches);

    public Func<int, IReadOnlyList<EventRecord>, TargetBatchResult>? Respond { get; set; }

    public TaskCompletionSource? Gate { get; set; }

    public TaskCompletionSource FirstCall { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IReadOnlyList<IReadOnlyList<EventRecord>> Calls
    {
        get
        {
            lock (_lock)
            {
                return [.. _calls];
            }
        }
    }

    public IReadOnlyList<EventRecord> Delivered
    {
        get
        {
            lock (_lock)
            {
                return [.. _delivered];
            }
        }
    }

    public int MeasureBytes(EventRecord record) => 0;

    public async Task<TargetBatchResult> SendAsync(IReadOnlyList<EventRecord> batch, CancellationToken cancellationToken)
    {
        int call;
        lock (_lock)
        {
            call = _calls.Count;
            _calls.Add([.. batch]);
        }

        FirstCall.TrySetResult();
        if (Gate is { } gate)
        {
            await gate.Task.WaitAsync(cancellationToken);
        }

        var result = Respond?.Invoke(call, batch) ?? TargetBatchResult.Delivered(batch.Count);
        lock (_lock)
        {
            for (var i = 0; i < batch.Count; i++)
            {
                if (result[i].Status == RecordStatus.Delivered)
                {
                    _delivered.Add(batch[i]);
                }
            }
        }

        return result;
    }
}
