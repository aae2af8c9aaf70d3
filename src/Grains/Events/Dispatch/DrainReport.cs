namespace Personalization.Grains.Events;

/// <summary>
/// What a queue's shutdown left behind. <see cref="Undelivered"/> were reported failed (code <c>ShutdownTimeout</c>)
/// to their requests and to <see cref="TargetQueueOptions.OnFailed"/>; persist them if they matter.
/// </summary>
public sealed record DrainReport(string Namespace, string Target, bool Drained, IReadOnlyList<EventRecord> Undelivered);
