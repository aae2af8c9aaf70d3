using System.Collections.Concurrent;

namespace Personalization.Grains.Events;

/// <summary>
/// Owns the <see cref="TargetQueue"/> of every (namespace, target) on this silo and drains them all on shutdown.
/// </summary>
/// <remarks>
/// Why the "event grains" are a per-silo service and not Orleans grains:
/// <list type="bullet">
/// <item>Group commit needs many requests admitted at once into one open batch. A grain per target is one turn at a
/// time, so every request would queue behind the previous one's admission, and a cluster-wide single activation per
/// target would turn the whole cluster's event traffic into calls to one silo.</item>
/// <item>All-or-nothing admission reserves room in every target of a namespace before accepting any event; across
/// grains that would be a distributed reservation with partial failures to undo.</item>
/// <item>Nothing in a queue needs to survive its silo as grain state: a request is answered only after its events are
/// delivered (sync) or queued (async), and queues drain on graceful shutdown (at least once delivery).</item>
/// </list>
/// Each silo therefore batches the events it receives; the user's grain, wherever Orleans placed it, still sees every
/// accepted event.
/// </remarks>
public sealed class EventDispatcher(TimeProvider timeProvider, TargetQueueOptions? defaultOptions = null)
{
    private readonly ConcurrentDictionary<(string Namespace, string Target), Lazy<TargetQueue>> _queues = new();

    /// <summary>The queue for the target, created on first use with <paramref name="options"/> (or the defaults).</summary>
    public TargetQueue GetOrAdd(string @namespace, IEventTarget target, TargetQueueOptions? options = null) =>
        _queues.GetOrAdd(
            (@namespace, target.Name),
            _ => new Lazy<TargetQueue>(() => new TargetQueue(@namespace, target, timeProvider, options ?? defaultOptions))).Value;

    public IReadOnlyList<TargetQueue> Queues => _queues.Values.Select(q => q.Value).ToList();

    /// <summary>Drains every queue in parallel within <paramref name="timeout"/>; reports what each left.</summary>
    public async Task<IReadOnlyList<DrainReport>> StopAsync(TimeSpan timeout) =>
        await Task.WhenAll(Queues.Select(q => q.StopAsync(timeout))).ConfigureAwait(false);
}
