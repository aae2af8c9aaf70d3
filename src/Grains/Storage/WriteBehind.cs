using Orleans.Storage;

namespace Personalization.Grains.Storage;

/// <summary>
/// Coalesced writes of a grain's persistent state: the first change arms a one-shot grain timer, and the state is
/// written once when it fires (or when the grain deactivates), however many changes came in between. An idle grain
/// holds no timer. Create it in OnActivateAsync and flush it from OnDeactivateAsync.
/// </summary>
/// <remarks>
/// The write interleaves with the grain's calls: a storage outage (a write hanging until the client's timeout) must
/// not stall the user's cache hits and events behind it. At most one write is in flight; changes made meanwhile are
/// written by the next timer, armed when the write completes, so a failing store is retried every
/// <c>delay</c> rather than concurrently. A write refused for a stale ETag (another activation wrote the state) is
/// not retried: the activation deactivates, and the next call reads the stored state afresh.
/// </remarks>
public sealed class WriteBehind<TState>(IPersistentState<TState> state, Grain grain, TimeSpan delay)
{
    private IGrainTimer? _timer;
    private Task? _writing;
    private bool _dirty;
    private bool _flushed;
    private bool _conflicted;

    public void MarkDirty()
    {
        _dirty = true;
        if (_writing is null)
        {
            Arm();
        }
    }

    /// <summary>Waits for a write in flight, then writes now if anything changed (from OnDeactivateAsync).</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        _flushed = true;
        _timer?.Dispose();
        _timer = null;
        if (_writing is { } writing)
        {
            // Its failure leaves the changes dirty, and they are written below.
            await writing.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing | ConfigureAwaitOptions.ContinueOnCapturedContext);
        }

        if (_dirty && !_conflicted)
        {
            await WriteAsync(cancellationToken).ConfigureAwait(true);
        }
    }

    private void Arm()
    {
        if (!_flushed && !_conflicted)
        {
            _timer ??= grain.RegisterGrainTimer(OnTimerAsync, new GrainTimerCreationOptions(delay, Timeout.InfiniteTimeSpan) { Interleave = true });
        }
    }

    private async Task OnTimerAsync(CancellationToken cancellationToken)
    {
        // Disposing a grain timer cancels the token its callback was given: dispose this one only after the write.
        var timer = _timer;
        _timer = null;
        try
        {
            if (_dirty && _writing is null)
            {
                _writing = WriteAsync(cancellationToken);
                await _writing.ConfigureAwait(true);
            }
        }
        finally
        {
            _writing = null;
            timer?.Dispose();
            if (_dirty)
            {
                Arm();
            }
        }
    }

    private async Task WriteAsync(CancellationToken cancellationToken)
    {
        _dirty = false;
        try
        {
            await state.WriteStateAsync(cancellationToken).ConfigureAwait(true);
        }
        catch (InconsistentStateException)
        {
            // Another activation's write is in the way: retrying cannot succeed, and overwriting would lose its changes.
            _dirty = true;
            _conflicted = true;
            grain.GrainContext.Deactivate(new DeactivationReason(DeactivationReasonCode.ApplicationError, $"{typeof(TState).Name} was written by another activation"));
            throw;
        }
        catch
        {
            // Nothing was saved: keep the changes marked so the next timer (or deactivation) tries again.
            _dirty = true;
            throw;
        }
    }
}
