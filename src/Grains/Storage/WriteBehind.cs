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

    public void MarkDirty()
    {
        if (!_dirty)
        {
            _dirty = true;
            _timer ??= grain.RegisterGrainTimer(OnTimerAsync, new GrainTimerCreationOptions(delay, Timeout.InfiniteTimeSpan));
        }
    }

    /// <summary>Writes now if anything changed (from OnDeactivateAsync).</summary>
    public Task FlushAsync(CancellationToken cancellationToken)
    {
        _timer?.Dispose();
        _timer = null;
        return WriteAsync(cancellationToken);
    }

    private async Task OnTimerAsync(CancellationToken cancellationToken)
    {
        // Disposing a grain timer cancels the token its callback was given: dispose this one only after the write.
        var timer = _timer;
        _timer = null;
        try
        {
            await WriteAsync(cancellationToken).ConfigureAwait(true);
        }
        finally
        {
            timer?.Dispose();
        }
    }

    private async Task WriteAsync(CancellationToken cancellationToken)
    {
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
