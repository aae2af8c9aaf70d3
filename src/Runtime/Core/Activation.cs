using System.Runtime.ExceptionServices;
using Microsoft.Extensions.Logging;
using Personalization.Runtime.CodeGeneration;
using Personalization.Runtime.Storage;

namespace Personalization.Runtime.Core;

/// <summary>
/// One live instance of a grain on this silo and its turn scheduler: exclusive calls run one at a time (across
/// awaits, FIFO), read-only calls share the turn, interleaving calls ignore it. Activation and deactivation are
/// themselves exclusive turns.
/// </summary>
internal sealed class Activation : IGrainContext
{
    private readonly Lock _gate = new();
    private readonly Queue<TurnWaiter> _queue = new();
    private readonly TaskCompletionSource _gone = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _lifetime = new();
    private readonly GrainRuntime _runtime;
    private readonly CallChain _selfLink;
    private ActivationState _state = ActivationState.Creating;
    private bool _exclusive = true; // held by the activation turn until OnActivateAsync completes
    private int _readers;
    private int _interleaved;
    private long _lastUsed;
    private Grain? _grain;
    private ExceptionDispatchInfo? _failure;
    private DeactivationReason? _deactivateAfterActivation;
    private List<IPersistentStateLoader>? _states;
    private List<GrainTimer>? _timers;
    private ExecutionContext? _rootContext;

    public Activation(GrainRuntime runtime, GrainId grainId, GrainClassRegistration registration)
    {
        _runtime = runtime;
        GrainId = grainId;
        Registration = registration;
        _selfLink = new CallChain(grainId, null);
        _lastUsed = runtime.TimeProvider.GetTimestamp();
    }

    public GrainId GrainId { get; }

    public GrainClassRegistration Registration { get; }

    public IGrainFactory GrainFactory => _runtime;

    public TimeProvider TimeProvider => _runtime.TimeProvider;

    public CancellationToken Lifetime => _lifetime.Token;

    /// <summary>Completes when the activation has been discarded (deactivated or failed to activate).</summary>
    public Task Gone => _gone.Task;

    internal GrainRuntime Runtime => _runtime;

    public long LastUsedTimestamp
    {
        get
        {
            lock (_gate)
            {
                return _lastUsed;
            }
        }
    }

    /// <summary>Active, nothing running or queued: may be collected.</summary>
    public bool IsIdle
    {
        get
        {
            lock (_gate)
            {
                return _state == ActivationState.Active && !_exclusive && _readers == 0 && _interleaved == 0 && _queue.Count == 0;
            }
        }
    }

    /// <summary>Takes the turn without waiting if it is free. The hot path of every call.</summary>
    public bool TryEnter(CallKind kind)
    {
        lock (_gate)
        {
            return _state == ActivationState.Active && TryGrant(kind);
        }
    }

    /// <summary>Waits for the turn. False: the activation is going away, the caller must use a fresh one.</summary>
    public ValueTask<bool> EnterAsync(CallKind kind, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        TurnWaiter waiter;
        lock (_gate)
        {
            switch (_state)
            {
                case ActivationState.Failed:
                    _failure!.Throw();
                    break;
                case ActivationState.Deactivating or ActivationState.Deactivated:
                    return WaitUntilGoneAsync();
                case ActivationState.Active when TryGrant(kind):
                    return new ValueTask<bool>(true);
            }

            waiter = new TurnWaiter(kind);
            _queue.Enqueue(waiter);
        }

        return cancellationToken.CanBeCanceled ? WaitCancellablyAsync(waiter, cancellationToken) : new ValueTask<bool>(waiter.Task);
    }

    /// <summary>A caller that gives up while queued leaves the queue; it never gets (or holds) the turn.</summary>
    private async ValueTask<bool> WaitCancellablyAsync(TurnWaiter waiter, CancellationToken cancellationToken)
    {
        await using (cancellationToken.UnsafeRegister(static (state, token) => ((Activation)((object[])state!)[0]).Abandon((TurnWaiter)((object[])state!)[1], token), new object[] { this, waiter }).ConfigureAwait(false))
        {
            return await waiter.Task.ConfigureAwait(false);
        }
    }

    private void Abandon(TurnWaiter waiter, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            // Under the gate, so a waiter is either granted or cancelled, never both.
            if (waiter.TrySetCanceled(cancellationToken))
            {
                GrantQueued();
            }
        }
    }

    public void Exit(CallKind kind)
    {
        lock (_gate)
        {
            switch (kind)
            {
                case CallKind.Exclusive:
                    _exclusive = false;
                    break;
                case CallKind.ReadOnly:
                    _readers--;
                    break;
                default:
                    _interleaved--;
                    break;
            }

            if (_queue.Count != 0)
            {
                GrantQueued();
            }

            if (!_exclusive && _readers == 0 && _interleaved == 0)
            {
                _lastUsed = _runtime.TimeProvider.GetTimestamp();
            }
        }
    }

    /// <summary>
    /// Runs <paramref name="method"/> on the grain object with this grain appended to the call chain. Callers with
    /// an empty ExecutionContext reuse a cached context, so the hot path does not allocate.
    /// </summary>
    public TResult Invoke<TGrain, TArg, TResult>(TArg arg, Func<TGrain, TArg, TResult> method, bool detached = false)
    {
        var previous = ExecutionContext.Capture();
        if (previous is null)
        {
            // Flow is suppressed: nothing would carry the chain anyway.
            return method((TGrain)(object)_grain!, arg);
        }

        EnterCallChain(previous, detached ? null : CallChain.Current);
        try
        {
            return method((TGrain)(object)_grain!, arg);
        }
        finally
        {
            ExecutionContext.Restore(previous);
        }
    }

    private void EnterCallChain(ExecutionContext previous, CallChain? parent)
    {
        if (parent is not null)
        {
            CallChain.Current = new CallChain(GrainId, parent);
            return;
        }

        if (ReferenceEquals(previous, DefaultExecutionContext.Instance))
        {
            if (_rootContext is { } cached)
            {
                ExecutionContext.Restore(cached);
                return;
            }

            CallChain.Current = _selfLink;
            _rootContext = ExecutionContext.Capture();
            return;
        }

        CallChain.Current = _selfLink;
    }

    /// <summary>The activation turn: construct the grain, load its state, run OnActivateAsync.</summary>
    public async Task ActivateAsync()
    {
        try
        {
            var grain = Registration.Create(_runtime.Services, new GrainActivationContext(this));
            grain.Bind(this);
            _grain = grain;
            if (_states is not null)
            {
                foreach (var state in _states)
                {
                    await state.LoadAsync(_lifetime.Token).ConfigureAwait(false);
                }
            }

            await Invoke(_lifetime.Token, static (Grain g, CancellationToken ct) => g.OnActivateAsync(ct)).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            Fail(exception);
            return;
        }

        DeactivationReason? pending;
        lock (_gate)
        {
            _state = ActivationState.Active;
            _exclusive = false;
            _lastUsed = _runtime.TimeProvider.GetTimestamp();
            pending = _deactivateAfterActivation;
            GrantQueued(); // calls queued during activation run before a deactivation requested meanwhile
        }

        if (pending is { } reason)
        {
            _ = DeactivateAsync(reason);
        }
    }

    private void Fail(Exception exception)
    {
        TurnWaiter[] waiters;
        lock (_gate)
        {
            _state = ActivationState.Failed;
            _failure = ExceptionDispatchInfo.Capture(exception);
            waiters = [.. _queue];
            _queue.Clear();
            ReleaseGrain();
        }

        _runtime.Logger.LogWarning(exception, "Activation of {GrainId} failed", GrainId);
        foreach (var waiter in waiters)
        {
            waiter.TrySetException(exception);
        }

        StopTimers();
        _lifetime.Cancel();
        _runtime.OnActivationGone(this, new DeactivationReason(DeactivationReasonCode.ActivationFailed, exception.Message));
        _gone.TrySetResult();
    }

    /// <summary>
    /// Deactivates after the calls already running or queued: new calls wait for <see cref="Gone"/> and go to a fresh
    /// activation. OnDeactivateAsync runs as an exclusive turn.
    /// </summary>
    public Task DeactivateAsync(DeactivationReason reason)
    {
        TurnWaiter? waiter = null;
        lock (_gate)
        {
            if (_state == ActivationState.Creating)
            {
                _deactivateAfterActivation ??= reason;
                return _gone.Task;
            }

            if (_state != ActivationState.Active)
            {
                return _gone.Task;
            }

            _state = ActivationState.Deactivating;
            if (!_exclusive && _readers == 0 && _queue.Count == 0)
            {
                _exclusive = true;
            }
            else
            {
                waiter = new TurnWaiter(CallKind.Exclusive);
                _queue.Enqueue(waiter);
            }
        }

        _ = RunDeactivationAsync(waiter, reason);
        return _gone.Task;
    }

    private async Task RunDeactivationAsync(TurnWaiter? waiter, DeactivationReason reason)
    {
        try
        {
            if (waiter is not null)
            {
                await waiter.Task.ConfigureAwait(false);
            }

            StopTimers();
            _lifetime.Cancel();
            using var timeout = new CancellationTokenSource(_runtime.Options.DeactivationTimeout, _runtime.TimeProvider);
            // A grain that ignores the token must not hold up shutdown or a fresh activation forever.
            await Invoke((reason, timeout.Token), static (Grain g, (DeactivationReason Reason, CancellationToken Token) a) => g.OnDeactivateAsync(a.Reason, a.Token), detached: true)
                .WaitAsync(_runtime.Options.DeactivationTimeout, _runtime.TimeProvider)
                .ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            _runtime.Logger.LogWarning(exception, "OnDeactivateAsync of {GrainId} failed", GrainId);
        }
        finally
        {
            lock (_gate)
            {
                _state = ActivationState.Deactivated;
                _exclusive = false;
                ReleaseGrain();
            }

            _runtime.OnActivationGone(this, reason);
            _gone.TrySetResult();
        }
    }

    /// <summary>A write with a stale ETag: drop this activation so that the next call reloads the state.</summary>
    public void OnInconsistentState(string message) =>
        _ = DeactivateAsync(new DeactivationReason(DeactivationReasonCode.InconsistentState, message));

    public void DeactivateOnIdle() =>
        _ = DeactivateAsync(new DeactivationReason(DeactivationReasonCode.ApplicationRequested, "DeactivateOnIdle"));

    public IGrainTimer RegisterTimer(Func<CancellationToken, Task> callback, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var timer = new GrainTimer(this, callback);
        lock (_gate)
        {
            if (_state is not (ActivationState.Creating or ActivationState.Active))
            {
                throw new InvalidOperationException($"{GrainId} is deactivating; it cannot register timers.");
            }

            (_timers ??= []).Add(timer);
        }

        timer.Change(dueTime, period);
        return timer;
    }

    internal void RemoveTimer(GrainTimer timer)
    {
        lock (_gate)
        {
            _timers?.Remove(timer);
        }
    }

    internal void AddState(IPersistentStateLoader state) => (_states ??= []).Add(state);

    private void StopTimers()
    {
        GrainTimer[] timers;
        lock (_gate)
        {
            timers = _timers is null ? [] : [.. _timers];
            _timers = null;
        }

        foreach (var timer in timers)
        {
            timer.Dispose();
        }
    }

    // References cache their activation; a stale one must not keep the grain object and its state alive.
    private void ReleaseGrain()
    {
        _grain = null;
        _states = null;
        _rootContext = null;
    }

    private bool TryGrant(CallKind kind)
    {
        switch (kind)
        {
            case CallKind.Interleave:
                _interleaved++;
                return true;
            case CallKind.ReadOnly:
                if (_exclusive || _queue.Count != 0)
                {
                    return false;
                }

                _readers++;
                return true;
            default:
                if (_exclusive || _readers != 0 || _queue.Count != 0)
                {
                    return false;
                }

                _exclusive = true;
                return true;
        }
    }

    private void GrantQueued()
    {
        if (_state == ActivationState.Creating)
        {
            return;
        }

        while (_queue.TryPeek(out var next))
        {
            if (next.Task.IsCompleted)
            {
                _queue.Dequeue(); // abandoned by its caller
                continue;
            }

            switch (next.Kind)
            {
                case CallKind.Interleave:
                    _interleaved++;
                    break;
                case CallKind.ReadOnly when !_exclusive:
                    _readers++;
                    break;
                case CallKind.Exclusive when !_exclusive && _readers == 0:
                    _exclusive = true;
                    break;
                default:
                    return;
            }

            _queue.Dequeue();
            next.TrySetResult(true);
        }
    }

    private async ValueTask<bool> WaitUntilGoneAsync()
    {
        await _gone.Task.ConfigureAwait(false);
        return false;
    }

    private enum ActivationState
    {
        Creating,
        Active,
        Deactivating,
        Deactivated,
        Failed,
    }
}
