namespace Personalization.Runtime;

/// <summary>
/// Coalesced writes of a grain's persistent state: the first change arms a one-shot timer, and the state is written once
/// when it fires (or when the grain deactivates), however many changes came in between. An idle grain holds no timer.
/// Create it in the grain's constructor or OnActivateAsync, passing the grain's <c>RegisterGrainTimer</c>.
/// </summary>
public sealed class WriteBehind<TState>(
    IPersistentState<TState> state,
    Func<Func<CancellationToken, Task>, TimeSpan, TimeSpan, IGrainTimer> registerTimer,
    TimeSpan delay)
    where TState : class, new()
{
    private IGrainTimer? _timer;
    private bool _dirty;

    public bool IsDirty => _dirty;

    public void MarkDirty()
    {
        if (!_dirty)
        {
            _dirty = true;
            _timer = registerTimer(FlushAsync, delay, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>Writes now if anything changed; call it from OnDeactivateAsync.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        _timer?.Dispose();
        _timer = null;
        if (!_dirty)
        {
            return;
        }

        _dirty = false;
        await state.WriteStateAsync(cancellationToken).ConfigureAwait(true);
    }
}
