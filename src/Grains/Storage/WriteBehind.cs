namespace Personalization.Grains.Storage;

/// <summary>
/// Coalesced writes of a grain's persistent state: the first change arms a one-shot grain timer, and the state is
/// written once when it fires (or when the grain deactivates), however many changes came in between. An idle grain
/// holds no timer. Create it in OnActivateAsync and flush it from OnDeactivateAsync.
/// </summary>
public sealed class WriteBehind<TState>(IPersistentState<TState> state, Grain grain, TimeSpan delay)
{
    private IGrainTimer? _timer;
    private bool _dirty;

    public bool IsDirty => _dirty;

    public void MarkDirty()
    {
        if (!_dirty)
        {
            _dirty = true;
            _timer = grain.RegisterGrainTimer(FlushAsync, new GrainTimerCreationOptions(delay, Timeout.InfiniteTimeSpan));
        }
    }

    /// <summary>Writes now if anything changed.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        _timer?.Dispose();
        _timer = null;
        if (!_dirty)
        {
            return;
        }

        _dirty = false;
        try
        {
            await state.WriteStateAsync(cancellationToken).ConfigureAwait(true);
        }
        catch
        {
            // Nothing was saved: keep the changes marked so the next timer (or deactivation) tries again.
            MarkDirty();
            throw;
        }
    }
}
