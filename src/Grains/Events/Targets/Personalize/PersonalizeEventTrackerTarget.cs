namespace Personalization.Grains.Events;

/// <summary>
/// <c>personalize-event-tracker</c>: PutEvents with the target's trackingId. A batch from the queue is split into
/// calls of at most 10 events sharing sessionId and userId; calls run concurrently, and since each call is
/// all-or-nothing, its events share its outcome.
/// </summary>
public sealed class PersonalizeEventTrackerTarget(
    string name,
    string trackingId,
    PutEventsSender putEvents,
    SendErrorClassifier? classify = null,
    int maxRecordsPerBatch = 100,
    int maxConcurrentCalls = 8) : IEventTarget
{
    public const int MaxEventsPerCall = 10;

    private readonly SendErrorClassifier _classify = classify ?? SendErrors.Classify;

    public string Name { get; } = name;

    public TargetBatchLimits Limits { get; } = new(maxRecordsPerBatch, MaxConcurrentBatches: 2);

    // No per-call byte limit beyond the fields', which validation already enforced.
    public int MeasureBytes(EventRecord record) => 0;

    public async Task<TargetBatchResult> SendAsync(IReadOnlyList<EventRecord> batch, CancellationToken cancellationToken)
    {
        var calls = PlanCalls(batch);
        var outcomes = new RecordOutcome[batch.Count];
        await Parallel.ForEachAsync(
            calls,
            new ParallelOptions { MaxDegreeOfParallelism = maxConcurrentCalls, CancellationToken = cancellationToken },
            async (call, token) =>
            {
                var first = batch[call[0]];
                var events = new EventData[call.Count];
                for (var i = 0; i < call.Count; i++)
                {
                    events[i] = batch[call[i]].Event;
                }

                RecordOutcome outcome;
                try
                {
                    await putEvents(new PersonalizePutEvents(trackingId, first.SessionId, first.UserId, events), token).ConfigureAwait(false);
                    outcome = RecordOutcome.Delivered;
                }
                catch (Exception e) when (!token.IsCancellationRequested)
                {
                    outcome = RecordOutcome.Failed(_classify(e));
                }

                foreach (var index in call)
                {
                    outcomes[index] = outcome;
                }
            }).ConfigureAwait(false);

        return TargetBatchResult.FromOutcomes(outcomes);
    }

    /// <summary>Groups record indexes by (sessionId, userId), in arrival order, into calls of ≤ 10.</summary>
    private static List<List<int>> PlanCalls(IReadOnlyList<EventRecord> batch)
    {
        var open = new Dictionary<(string, string?), List<int>>();
        var calls = new List<List<int>>();
        for (var i = 0; i < batch.Count; i++)
        {
            var key = (batch[i].SessionId, batch[i].UserId);
            if (!open.TryGetValue(key, out var call) || call.Count == MaxEventsPerCall)
            {
                call = new List<int>(MaxEventsPerCall);
                open[key] = call;
                calls.Add(call);
            }

            call.Add(i);
        }

        return calls;
    }
}
