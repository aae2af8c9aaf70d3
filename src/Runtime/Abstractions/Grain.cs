namespace Personalization.Runtime;

/// <summary>
/// Base class of every grain, shaped like Orleans' Grain. The runtime creates the object, binds it to its
/// activation, and runs one call at a time on it (turn-based), across awaits.
/// </summary>
public abstract class Grain
{
    private IGrainContext? _context;

    internal void Bind(IGrainContext context) => _context = context;

    private IGrainContext Context =>
        _context ?? throw new InvalidOperationException("The grain is not bound to an activation; grains are created by the runtime.");

    public GrainId GrainId => Context.GrainId;

    protected IGrainFactory GrainFactory => Context.GrainFactory;

    /// <summary>The runtime's clock; tests replace it to drive time.</summary>
    protected TimeProvider TimeProvider => Context.TimeProvider;

    public string GetPrimaryKeyString() => Context.GrainId.Key;

    public virtual Task OnActivateAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public virtual Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Deactivate once the current call completes.</summary>
    protected void DeactivateOnIdle() => Context.DeactivateOnIdle();

    /// <summary>
    /// A timer whose callback runs as a turn on this activation, never overlapping itself, and stops with the activation.
    /// </summary>
    protected IGrainTimer RegisterGrainTimer(Func<CancellationToken, Task> callback, TimeSpan dueTime, TimeSpan period) =>
        Context.RegisterTimer(callback, dueTime, period);
}

public interface IGrainTimer : IDisposable
{
    void Change(TimeSpan dueTime, TimeSpan period);
}

/// <summary>What an activation offers its grain object. Implemented by the runtime.</summary>
internal interface IGrainContext
{
    GrainId GrainId { get; }
    IGrainFactory GrainFactory { get; }
    TimeProvider TimeProvider { get; }
    void DeactivateOnIdle();
    IGrainTimer RegisterTimer(Func<CancellationToken, Task> callback, TimeSpan dueTime, TimeSpan period);
}
