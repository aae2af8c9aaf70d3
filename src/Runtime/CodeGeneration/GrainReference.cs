using System.ComponentModel;
using Personalization.Runtime.Core;

namespace Personalization.Runtime.CodeGeneration;

/// <summary>
/// Base of generated grain references. Each interface method forwards to one of the Invoke methods with a static
/// lambda, so a call to an idle, active grain that completes synchronously takes the turn, runs and releases it
/// without queueing or allocating.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public abstract class GrainReference : IEquatable<GrainReference>
{
    private readonly GrainRuntime _runtime;
    private readonly GrainClassRegistration _grainClass;
    private Activation? _activation;

    protected GrainReference(GrainReferenceTarget target)
    {
        _runtime = target.Runtime ?? throw new ArgumentException("Grain references are created by IGrainFactory.GetGrain.", nameof(target));
        GrainId = target.GrainId;
        _grainClass = target.GrainClass;
    }

    public GrainId GrainId { get; }

    protected Task InvokeTask<TGrain, TArg>(CallKind kind, TArg arg, Func<TGrain, TArg, Task> method, CancellationToken cancellationToken = default)
    {
        var activation = TryEnterFast(kind);
        if (activation is null)
        {
            return InvokeTaskSlowAsync(kind, arg, method, cancellationToken);
        }

        var started = _runtime.Metrics.StartCall();
        Task task;
        try
        {
            task = activation.Invoke(arg, method);
        }
        catch (Exception exception)
        {
            Exit(activation, kind, started);
            return Task.FromException(exception);
        }

        if (task.IsCompleted)
        {
            Exit(activation, kind, started);
            return task;
        }

        return AwaitThenExitAsync(activation, kind, started, task);
    }

    protected Task<TResult> InvokeTask<TGrain, TArg, TResult>(CallKind kind, TArg arg, Func<TGrain, TArg, Task<TResult>> method, CancellationToken cancellationToken = default)
    {
        var activation = TryEnterFast(kind);
        if (activation is null)
        {
            return InvokeTaskSlowAsync(kind, arg, method, cancellationToken);
        }

        var started = _runtime.Metrics.StartCall();
        Task<TResult> task;
        try
        {
            task = activation.Invoke(arg, method);
        }
        catch (Exception exception)
        {
            Exit(activation, kind, started);
            return Task.FromException<TResult>(exception);
        }

        if (task.IsCompleted)
        {
            Exit(activation, kind, started);
            return task;
        }

        return AwaitThenExitAsync(activation, kind, started, task);
    }

    protected ValueTask InvokeValueTask<TGrain, TArg>(CallKind kind, TArg arg, Func<TGrain, TArg, ValueTask> method, CancellationToken cancellationToken = default)
    {
        var activation = TryEnterFast(kind);
        if (activation is null)
        {
            return InvokeValueTaskSlowAsync(kind, arg, method, cancellationToken);
        }

        var started = _runtime.Metrics.StartCall();
        ValueTask task;
        try
        {
            task = activation.Invoke(arg, method);
        }
        catch (Exception exception)
        {
            Exit(activation, kind, started);
            return ValueTask.FromException(exception);
        }

        if (task.IsCompleted)
        {
            Exit(activation, kind, started);
            return task;
        }

        return AwaitThenExitAsync(activation, kind, started, task);
    }

    protected ValueTask<TResult> InvokeValueTask<TGrain, TArg, TResult>(CallKind kind, TArg arg, Func<TGrain, TArg, ValueTask<TResult>> method, CancellationToken cancellationToken = default)
    {
        var activation = TryEnterFast(kind);
        if (activation is null)
        {
            return InvokeValueTaskSlowAsync(kind, arg, method, cancellationToken);
        }

        var started = _runtime.Metrics.StartCall();
        ValueTask<TResult> task;
        try
        {
            task = activation.Invoke(arg, method);
        }
        catch (Exception exception)
        {
            Exit(activation, kind, started);
            return ValueTask.FromException<TResult>(exception);
        }

        if (task.IsCompleted)
        {
            Exit(activation, kind, started);
            return task;
        }

        return AwaitThenExitAsync(activation, kind, started, task);
    }

    private Activation? TryEnterFast(CallKind kind)
    {
        if (kind != CallKind.Interleave && CallChain.Current is { } chain && chain.Contains(GrainId))
        {
            return null; // the slow path fails the call with a faulted task
        }

        // A fresh reference (GetGrain per request is the usual pattern) finds the activation in the directory.
        var activation = _activation ??= _runtime.FindActivation(GrainId);
        return activation is not null && activation.TryEnter(kind) ? activation : null;
    }

    private async ValueTask<Activation> EnterAsync(CallKind kind, CancellationToken cancellationToken)
    {
        if (kind != CallKind.Interleave && CallChain.Current is { } chain && chain.Contains(GrainId))
        {
            throw Cycle(chain);
        }

        while (true)
        {
            var activation = _runtime.GetOrCreateActivation(GrainId, _grainClass);
            if (await activation.EnterAsync(kind, cancellationToken).ConfigureAwait(false))
            {
                _activation = activation;
                return activation;
            }
        }
    }

    private async Task InvokeTaskSlowAsync<TGrain, TArg>(CallKind kind, TArg arg, Func<TGrain, TArg, Task> method, CancellationToken cancellationToken)
    {
        var activation = await EnterAsync(kind, cancellationToken).ConfigureAwait(false);
        var started = _runtime.Metrics.StartCall();
        try
        {
            await activation.Invoke(arg, method).ConfigureAwait(false);
        }
        finally
        {
            Exit(activation, kind, started);
        }
    }

    private async Task<TResult> InvokeTaskSlowAsync<TGrain, TArg, TResult>(CallKind kind, TArg arg, Func<TGrain, TArg, Task<TResult>> method, CancellationToken cancellationToken)
    {
        var activation = await EnterAsync(kind, cancellationToken).ConfigureAwait(false);
        var started = _runtime.Metrics.StartCall();
        try
        {
            return await activation.Invoke(arg, method).ConfigureAwait(false);
        }
        finally
        {
            Exit(activation, kind, started);
        }
    }

    private async ValueTask InvokeValueTaskSlowAsync<TGrain, TArg>(CallKind kind, TArg arg, Func<TGrain, TArg, ValueTask> method, CancellationToken cancellationToken)
    {
        var activation = await EnterAsync(kind, cancellationToken).ConfigureAwait(false);
        var started = _runtime.Metrics.StartCall();
        try
        {
            await activation.Invoke(arg, method).ConfigureAwait(false);
        }
        finally
        {
            Exit(activation, kind, started);
        }
    }

    private async ValueTask<TResult> InvokeValueTaskSlowAsync<TGrain, TArg, TResult>(CallKind kind, TArg arg, Func<TGrain, TArg, ValueTask<TResult>> method, CancellationToken cancellationToken)
    {
        var activation = await EnterAsync(kind, cancellationToken).ConfigureAwait(false);
        var started = _runtime.Metrics.StartCall();
        try
        {
            return await activation.Invoke(arg, method).ConfigureAwait(false);
        }
        finally
        {
            Exit(activation, kind, started);
        }
    }

    private async Task AwaitThenExitAsync(Activation activation, CallKind kind, long started, Task task)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
        finally
        {
            Exit(activation, kind, started);
        }
    }

    private async Task<TResult> AwaitThenExitAsync<TResult>(Activation activation, CallKind kind, long started, Task<TResult> task)
    {
        try
        {
            return await task.ConfigureAwait(false);
        }
        finally
        {
            Exit(activation, kind, started);
        }
    }

    private async ValueTask AwaitThenExitAsync(Activation activation, CallKind kind, long started, ValueTask task)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
        finally
        {
            Exit(activation, kind, started);
        }
    }

    private async ValueTask<TResult> AwaitThenExitAsync<TResult>(Activation activation, CallKind kind, long started, ValueTask<TResult> task)
    {
        try
        {
            return await task.ConfigureAwait(false);
        }
        finally
        {
            Exit(activation, kind, started);
        }
    }

    private void Exit(Activation activation, CallKind kind, long started)
    {
        activation.Exit(kind);
        _runtime.Metrics.EndCall(started, _grainClass.TypeName);
    }

    private GrainCallCycleException Cycle(CallChain chain) =>
        new($"Call chain {chain.Describe(GrainId)} calls back into {GrainId}, which would wait for a turn its own caller holds " +
            "(a deadlock in Orleans). Mark the method [AlwaysInterleave] if it may interleave, or restructure the calls.");

    public bool Equals(GrainReference? other) => other is not null && GrainId == other.GrainId && ReferenceEquals(_runtime, other._runtime);

    public override bool Equals(object? obj) => Equals(obj as GrainReference);

    public override int GetHashCode() => GrainId.GetHashCode();

    public override string ToString() => GrainId.ToString();
}
