namespace Personalization.TestSupport;

/// <summary>
/// Lets a test decide when calls finish: calls pass straight through until <see cref="Hold"/>; from then on they wait
/// until <see cref="Release"/> lets the held ones and later ones through. Used by test backends to make many requests
/// miss at once.
/// </summary>
public sealed class CallGate
{
    private readonly object _lock = new();
    private TaskCompletionSource? _hold;

    /// <summary>Completes when a call arriving now may proceed.</summary>
    public Task Passage
    {
        get
        {
            lock (_lock)
            {
                return _hold?.Task ?? Task.CompletedTask;
            }
        }
    }

    /// <summary>Calls from now on wait until <see cref="Release"/>.</summary>
    public void Hold()
    {
        lock (_lock)
        {
            _hold ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    /// <summary>Lets held and future calls through.</summary>
    public void Release()
    {
        TaskCompletionSource? hold;
        lock (_lock)
        {
            hold = _hold;
            _hold = null;
        }

        hold?.TrySetResult();
    }
}
