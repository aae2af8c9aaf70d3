using Microsoft.Extensions.Logging;
using Personalization.Runtime.CodeGeneration;

namespace Personalization.Runtime.Core;

/// <summary>
/// A grain timer: each tick is an exclusive turn on its activation. The next tick is armed only after the callback
/// completes, so ticks never overlap; it stops when disposed or when the activation goes away.
/// </summary>
internal sealed class GrainTimer : IGrainTimer
{
    private readonly Activation _activation;
    private readonly Func<CancellationToken, Task> _callback;
    private readonly ITimer _timer;
    private readonly Lock _gate = new();
    private TimeSpan _period = Timeout.InfiniteTimeSpan;
    private TimeSpan? _dueAfterTick;
    private bool _ticking;
    private bool _disposed;

    public GrainTimer(Activation activation, Func<CancellationToken, Task> callback)
    {
        _activation = activation;
        _callback = callback;
        using (ExecutionContext.SuppressFlow())
        {
            _timer = activation.TimeProvider.CreateTimer(static state => ((GrainTimer)state!).OnDue(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }
    }

    public void Change(TimeSpan dueTime, TimeSpan period)
    {
        ValidateSpan(dueTime, nameof(dueTime));
        ValidateSpan(period, nameof(period));
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _period = period;
            if (_ticking)
            {
                _dueAfterTick = dueTime; // applied when the running tick completes
            }
            else
            {
                _timer.Change(dueTime, Timeout.InfiniteTimeSpan);
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
        }

        _timer.Dispose();
        _activation.RemoveTimer(this);
    }

    private void OnDue()
    {
        lock (_gate)
        {
            if (_disposed || _ticking)
            {
                return;
            }

            _ticking = true;
        }

        _ = TickAsync();
    }

    private async Task TickAsync()
    {
        try
        {
            if (!await _activation.EnterAsync(CallKind.Exclusive).ConfigureAwait(false))
            {
                Dispose();
                return;
            }
        }
        catch (Exception)
        {
            Dispose(); // the activation failed
            return;
        }

        try
        {
            await _activation.Invoke((_callback, _activation.Lifetime), static (Grain _, (Func<CancellationToken, Task> Callback, CancellationToken Token) a) => a.Callback(a.Token), detached: true)
                .ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            _activation.Runtime.Logger.LogWarning(exception, "Timer callback of {GrainId} failed", _activation.GrainId);
        }
        finally
        {
            // Re-arm while still holding the turn: a tick that falls due at once queues behind this one, and a call
            // that gets the turn after this tick knows the timer is armed again.
            lock (_gate)
            {
                _ticking = false;
                var next = _dueAfterTick ?? _period;
                _dueAfterTick = null;
                if (!_disposed && next != Timeout.InfiniteTimeSpan)
                {
                    _timer.Change(next, Timeout.InfiniteTimeSpan);
                }
            }

            _activation.Exit(CallKind.Exclusive);
        }
    }

    private static void ValidateSpan(TimeSpan value, string name)
    {
        if (value < TimeSpan.Zero && value != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(name, value, "must be non-negative or Timeout.InfiniteTimeSpan");
        }
    }
}
