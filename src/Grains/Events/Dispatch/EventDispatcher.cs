using System.Collections.Concurrent;

namespace Personalization.Grains.Events;

/// <summary>
/// Owns the <see cref="TargetQueue"/> of every (namespace, target) and drains them all on shutdown. The lead's
/// event grain per (namespace, target) can hold one queue each instead; this is the grain-less equivalent.
/// </summary>
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
