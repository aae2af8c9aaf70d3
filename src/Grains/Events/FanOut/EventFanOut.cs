namespace Personalization.Grains.Events;

/// <summary>
/// Sends one request's events to every target queue of its namespace.
/// <para>
/// Admission is all-or-nothing: room is reserved in every queue first, and only when all reservations hold are the
/// events queued anywhere. A 429 therefore means no target got any of the events, so the client's retry cannot
/// make a target see them twice. (Queuing target by target would leave the events in the queues that had room;
/// the retry would then duplicate them there.) After admission nothing is dropped: records are delivered, or
/// finally failed and reported (sync response, <see cref="TargetQueueOptions.OnFailed"/>, metrics).
/// </para>
/// <para>
/// Delivery is at least once: a batch whose outcome is unknown (timeout) is sent again, so consumers should
/// de-duplicate by eventId when it matters.
/// </para>
/// </summary>
public static class EventFanOut
{
    /// <summary>
    /// Queues the events on every target and, in <see cref="DeliveryMode.Sync"/>, waits for their delivery.
    /// Cancelling stops the wait only: accepted events are still delivered.
    /// </summary>
    public static async ValueTask<FanOutResult> SendAsync(
        EventSubmission submission,
        IReadOnlyList<TargetQueue> queues,
        DeliveryMode mode,
        CancellationToken cancellationToken = default)
    {
        var count = submission.Count;
        for (var i = 0; i < queues.Count; i++)
        {
            var status = queues[i].TryReserve(count);
            if (status != AdmissionStatus.Accepted)
            {
                for (var j = 0; j < i; j++)
                {
                    queues[j].CancelReservation(count);
                }

                for (var j = 0; j < queues.Count; j++)
                {
                    EventMetrics.Rejected.Add(count, queues[j].NamespaceTag, queues[j].TargetTag);
                }

                return status == AdmissionStatus.QueueFull
                    ? new FanOutResult(FanOutStatus.Rejected, 0, [], queues[i].TargetName, RoundUpToSeconds(queues[i].RetryAfter))
                    : new FanOutResult(FanOutStatus.ShuttingDown, 0, [], queues[i].TargetName);
            }
        }

        // Only sync-mode targets are waited for; each gets a slot in the ticket.
        var slots = new int[queues.Count];
        var syncTargets = 0;
        for (var i = 0; i < queues.Count; i++)
        {
            slots[i] = (queues[i].Mode ?? mode) == DeliveryMode.Sync ? syncTargets++ : -1;
        }

        var ticket = syncTargets > 0 ? new DeliveryTicket(syncTargets, count) : null;
        for (var i = 0; i < queues.Count; i++)
        {
            queues[i].EnqueueReserved(submission, slots[i] >= 0 ? ticket : null, Math.Max(slots[i], 0));
        }

        if (ticket is null)
        {
            return new FanOutResult(FanOutStatus.Accepted, count, []);
        }

        await ticket.Completion.WaitAsync(cancellationToken).ConfigureAwait(false);
        var targets = new TargetDeliveryResult[queues.Count];
        var allDelivered = true;
        for (var i = 0; i < queues.Count; i++)
        {
            if (slots[i] < 0)
            {
                targets[i] = new TargetDeliveryResult(queues[i].TargetName, TargetDeliveryStatus.Accepted, 0);
                continue;
            }

            var (delivered, failed, error) = ticket.Result(slots[i]);
            allDelivered &= failed == 0;
            targets[i] = new TargetDeliveryResult(
                queues[i].TargetName,
                failed == 0 ? TargetDeliveryStatus.Delivered : TargetDeliveryStatus.Failed,
                delivered,
                failed,
                error is { } e ? new TargetDeliveryError(e.ErrorCode ?? "Unknown", e.ErrorMessage ?? "") : null);
        }

        return new FanOutResult(allDelivered ? FanOutStatus.Delivered : FanOutStatus.PartiallyFailed, count, targets);
    }

    private static TimeSpan RoundUpToSeconds(TimeSpan value) => TimeSpan.FromSeconds(Math.Max(1, Math.Ceiling(value.TotalSeconds)));
}
