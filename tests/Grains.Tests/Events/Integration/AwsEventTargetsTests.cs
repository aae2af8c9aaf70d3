using System.Text.Json.Nodes;
using Personalization.Grains.Events;
using Personalization.LocalAws.Faults;
using Personalization.TestSupport;
using Xunit;
using static Personalization.Grains.Tests.Events.Integration.EventPipelineHarness;

namespace Personalization.Grains.Tests.Events.Integration;

/// <summary>
/// The event pipeline as configured in production (parsed configuration → registry → real AWS clients) against
/// kinesalite and LocalAws: batch limits, retries under injected faults, back-pressure and drain.
/// </summary>
public sealed class AwsEventTargetsTests(KinesaliteFixture kinesalite) : IClassFixture<KinesaliteFixture>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    private static TargetQueueOptions Options(int capacity = 10_000, TimeSpan? flushDelay = null) => new()
    {
        Capacity = capacity,
        FlushDelay = flushDelay ?? TimeSpan.Zero,
        Retry = new RetryPolicy { MaxAttempts = 20, BaseDelay = TimeSpan.Zero, MaxDelay = TimeSpan.Zero },
        Random = new Random(7),
    };

    /// <summary>Requests of 1–10 events over 40 sessions (each with one user) until <paramref name="total"/> events.</summary>
    private static List<(string Body, string[] Ids, string Session, string User)> Requests(int total, string prefix)
    {
        var requests = new List<(string, string[], string, string)>();
        var sent = 0;
        for (var r = 0; sent < total; r++)
        {
            var size = Math.Min((r % 10) + 1, total - sent);
            var ids = Enumerable.Range(sent, size).Select(i => $"{prefix}-{i}").ToArray();
            var session = $"s{r % 40}";
            var user = $"u{r % 40 % 13}";
            requests.Add((Body(session, user, ids), ids, session, user));
            sent += size;
        }

        return requests;
    }

    [Fact]
    public async Task Batch_limits_hold_end_to_end_and_every_event_reaches_every_target()
    {
        await using var harness = await StartAsync(kinesalite, "sync", Options());
        var requests = Requests(1_234, "e");
        var owner = requests.SelectMany(r => r.Ids.Select(id => (id, r))).ToDictionary(x => x.id, x => (x.r.Session, x.r.User));

        var results = await Task.WhenAll(requests.Select(r => harness.SendAsync(r.Body).AsTask())).WaitAsync(Bound);

        Assert.All(results, r => Assert.Equal(FanOutStatus.Delivered, r.Status));
        Assert.Equal(1_234, results.Sum(r => r.Accepted));

        var putEvents = harness.SuccessfulPutEvents();
        Assert.All(putEvents, call =>
        {
            Assert.Equal(TrackingId, call["trackingId"]!.GetValue<string>());
            var events = call["eventList"]!.AsArray();
            Assert.InRange(events.Count, 1, 10);
            Assert.All(events, e => Assert.Equal(
                owner[e!["eventId"]!.GetValue<string>()],
                (call["sessionId"]!.GetValue<string>(), call["userId"]!.GetValue<string>())));
        });
        AssertExactlyOnce(owner.Keys, harness.PersonalizeEventIds());

        Assert.All(harness.SuccessfulPutRecordBatches(), call =>
        {
            Assert.Equal(harness.DeliveryStream, call["DeliveryStreamName"]!.GetValue<string>());
            Assert.InRange(call["Records"]!.AsArray().Count, 1, 500);
        });
        AssertExactlyOnce(owner.Keys, harness.FirehoseRecords().Select(EnvelopeEventId));

        var kinesis = await harness.KinesisRecordsAsync();
        Assert.All(kinesis, record =>
        {
            var (session, user) = owner[EnvelopeEventId(record.Envelope)];
            Assert.Equal(user, record.PartitionKey);
            Assert.Equal(Namespace, record.Envelope["namespace"]!.GetValue<string>());
            Assert.Equal("/events/" + Namespace, record.Envelope["path"]!.GetValue<string>());
            Assert.Equal(session, record.Envelope["body"]!["sessionId"]!.GetValue<string>());
            Assert.Equal(user, record.Envelope["body"]!["userId"]!.GetValue<string>());
        });
        AssertExactlyOnce(owner.Keys, kinesis.Select(r => EnvelopeEventId(r.Envelope)));
    }

    [Fact]
    public async Task Injected_throttling_and_outages_lose_nothing_and_only_failed_records_are_resent()
    {
        await using var harness = await StartAsync(kinesalite, "sync", Options(), callsWithPerRecordFailures: 4);
        var faults = harness.Server.State.Faults;
        faults.FailNext("PutEvents", 5, InjectedFault.Throttling);
        faults.FailNext("PutEvents", 2, new InjectedFault("InternalFailure", 500, "boom"));
        faults.FailNext("PutRecordBatch", 3, InjectedFault.ServiceUnavailable);
        var requests = Requests(300, "f");
        var expected = requests.SelectMany(r => r.Ids).ToList();

        var results = await Task.WhenAll(requests.Select(r => harness.SendAsync(r.Body).AsTask())).WaitAsync(Bound);

        Assert.All(results, r => Assert.Equal(FanOutStatus.Delivered, r.Status));
        var recorded = harness.Server.State.Recorded;
        Assert.Equal(5, recorded.For("PutEvents").Count(c => c.ErrorCode == "ThrottlingException"));
        Assert.Equal(2, recorded.For("PutEvents").Count(c => c.ErrorCode == "InternalFailure"));
        Assert.Equal(3, recorded.For("PutRecordBatch").Count(c => c.ErrorCode == "ServiceUnavailableException"));
        Assert.True(harness.FailingFirehose!.FailedRecords > 0, "no Firehose record was failed individually");
        Assert.True(harness.FailingKinesis!.FailedRecords > 0, "no Kinesis record was failed individually");

        // Faults refuse whole calls before anything is stored, so exactly once is expected at every target; a resend
        // of a whole batch after a per-record failure would deliver the records that succeeded twice.
        AssertExactlyOnce(expected, harness.PersonalizeEventIds());
        AssertExactlyOnce(expected, harness.FirehoseRecords().Select(EnvelopeEventId));
        AssertExactlyOnce(expected, (await harness.KinesisRecordsAsync()).Select(r => EnvelopeEventId(r.Envelope)));
    }

    [Fact]
    public async Task A_call_that_times_out_is_sent_again_and_its_events_are_delivered()
    {
        await using var harness = await StartAsync(kinesalite, "sync", Options(), callTimeout: TimeSpan.FromMilliseconds(200));
        harness.Server.State.Faults.SetLatency("PutEvents", TimeSpan.FromMinutes(1));
        string[] ids = [.. Enumerable.Range(0, 7).Select(i => $"t-{i}")];

        var send = harness.SendAsync(Body("s1", "u1", ids)).AsTask();

        // The second held call proves the first timed out on the client and the queue sent the batch again.
        var resent = harness.ServerClock.WhenTimersCreated(2);
        if (await Task.WhenAny(send, resent).WaitAsync(Bound) == send)
        {
            Assert.Fail($"the timed-out batch was not sent again: {string.Join(", ", (await send).Targets)}");
        }

        harness.Server.State.Faults.SetLatency("PutEvents", TimeSpan.Zero);
        harness.ServerClock.Advance(TimeSpan.FromMinutes(1));
        var result = await send.WaitAsync(Bound);

        Assert.Equal(FanOutStatus.Delivered, result.Status);
        // The server may or may not notice the abandoned call before it is released; if not, both copies land
        // (at least once: consumers de-duplicate on eventId). Either way none is missing.
        Assert.True(harness.Server.State.Recorded.For("PutEvents").Count >= 2);
        Assert.Equal(ids.ToHashSet(), harness.PersonalizeEventIds().ToHashSet());

        // The short timeout applies to every client: a slow Firehose or Kinesis call may be resent too.
        Assert.Equal(ids.ToHashSet(), harness.FirehoseRecords().Select(EnvelopeEventId).ToHashSet());
        Assert.Equal(ids.ToHashSet(), (await harness.KinesisRecordsAsync()).Select(r => EnvelopeEventId(r.Envelope)).ToHashSet());
    }

    [Fact]
    public async Task A_full_queue_refuses_with_retry_after_and_what_it_accepted_is_delivered_on_stop()
    {
        await using var harness = await StartAsync(kinesalite, "async", Options(capacity: 20));
        // The first PutEvents waits on the server's manual clock, so its 10 records stay in flight.
        harness.Server.State.Faults.SetLatency("PutEvents", TimeSpan.FromMinutes(1));
        string[] first = [.. Enumerable.Range(0, 10).Select(i => $"a-{i}")];
        string[] second = [.. Enumerable.Range(0, 10).Select(i => $"b-{i}")];
        string[] refused = [.. Enumerable.Range(0, 5).Select(i => $"c-{i}")];

        var accepted1 = await harness.SendAsync(Body("s1", "u1", first));
        var accepted2 = await harness.SendAsync(Body("s2", "u2", second));
        var rejected = await harness.SendAsync(Body("s3", "u3", refused));

        Assert.Equal((FanOutStatus.Accepted, 202), (accepted1.Status, accepted1.HttpStatusCode));
        Assert.Equal(FanOutStatus.Accepted, accepted2.Status);
        Assert.Equal((FanOutStatus.Rejected, 429, 0), (rejected.Status, rejected.HttpStatusCode, rejected.Accepted));
        Assert.Equal("personalize-event-tracker:" + TrackingId, rejected.RejectedBy);
        Assert.True(rejected.RetryAfter >= TimeSpan.FromSeconds(1), $"Retry-After {rejected.RetryAfter}");

        // Both batches (one per session, two sends at a time) are held at the server; releasing them cannot miss one.
        await harness.ServerClock.WhenTimersCreated(2).WaitAsync(Bound);
        harness.Server.State.Faults.SetLatency("PutEvents", TimeSpan.Zero);
        harness.ServerClock.Advance(TimeSpan.FromMinutes(1));
        var reports = await harness.Dispatcher.StopAsync(TimeSpan.FromMinutes(1)).WaitAsync(Bound);

        Assert.All(reports, r => Assert.True(r.Drained, $"{r.Target} left {r.Undelivered.Count}"));
        var acceptedIds = first.Concat(second).ToList();
        Assert.Equal(acceptedIds.ToHashSet(), harness.PersonalizeEventIds().ToHashSet());
        Assert.Equal(acceptedIds.ToHashSet(), harness.FirehoseRecords().Select(EnvelopeEventId).ToHashSet());
        Assert.Equal(acceptedIds.ToHashSet(), (await harness.KinesisRecordsAsync()).Select(r => EnvelopeEventId(r.Envelope)).ToHashSet());

        var afterStop = await harness.SendAsync(Body("s4", "u4", ["d-0"]));
        Assert.Equal((FanOutStatus.ShuttingDown, 503), (afterStop.Status, afterStop.HttpStatusCode));
    }

    [Fact]
    public async Task Stop_delivers_partial_batches_still_waiting_for_company()
    {
        // The flush delay never elapses on the manual clock: only a full batch or the drain sends anything.
        await using var harness = await StartAsync(kinesalite, "async", Options(flushDelay: TimeSpan.FromHours(1)));
        var requests = new[] { ("s1", "u1", 3), ("s2", "u2", 3), ("s3", "u1", 3) }
            .Select((r, n) => (Body: Body(r.Item1, r.Item2, Enumerable.Range(0, r.Item3).Select(i => $"d{n}-{i}")), Ids: Enumerable.Range(0, r.Item3).Select(i => $"d{n}-{i}")))
            .ToList();

        foreach (var (body, _) in requests)
        {
            Assert.Equal(FanOutStatus.Accepted, (await harness.SendAsync(body)).Status);
        }

        await Task.WhenAll(harness.Targets.Queues.Select(q => q.WhenIdleAsync())).WaitAsync(Bound);
        Assert.Empty(harness.Server.State.Recorded.All);
        Assert.Empty(await harness.KinesisRecordsAsync());

        var reports = await harness.Dispatcher.StopAsync(TimeSpan.FromMinutes(1)).WaitAsync(Bound);

        Assert.Equal(3, reports.Count);
        Assert.All(reports, r => Assert.True(r.Drained, $"{r.Target} left {r.Undelivered.Count}"));
        var expected = requests.SelectMany(r => r.Ids).ToList();
        AssertExactlyOnce(expected, harness.PersonalizeEventIds());
        AssertExactlyOnce(expected, harness.FirehoseRecords().Select(EnvelopeEventId));
        AssertExactlyOnce(expected, (await harness.KinesisRecordsAsync()).Select(r => EnvelopeEventId(r.Envelope)));
    }

    [Fact]
    public async Task A_drain_that_times_out_reports_every_event_it_could_not_deliver()
    {
        var failed = new System.Collections.Concurrent.ConcurrentBag<(string EventId, string? ErrorCode)>();
        var options = Options() with { OnFailed = (record, outcome) => failed.Add((record.Event.EventId!, outcome.ErrorCode)) };
        await using var harness = await StartAsync(kinesalite, "async", options);
        // Personalize never answers: the call is held on the server's clock, which this test does not advance.
        harness.Server.State.Faults.SetLatency("PutEvents", TimeSpan.FromMinutes(1));
        string[] ids = [.. Enumerable.Range(0, 6).Select(i => $"h-{i}")];
        Assert.Equal(FanOutStatus.Accepted, (await harness.SendAsync(Body("s1", "u1", ids))).Status);
        await harness.ServerClock.WhenTimersCreated(1).WaitAsync(Bound);
        var personalizeQueue = harness.Targets.Queues[0];
        await Task.WhenAll(harness.Targets.Queues.Where(q => q != personalizeQueue).Select(q => q.WhenIdleAsync())).WaitAsync(Bound);

        var stop = harness.Dispatcher.StopAsync(TimeSpan.FromSeconds(30));
        harness.Time.Advance(TimeSpan.FromSeconds(30));
        var reports = await stop.WaitAsync(Bound);

        var personalize = Assert.Single(reports, r => r.Target == "personalize-event-tracker:" + TrackingId);
        Assert.False(personalize.Drained);
        Assert.Equal(ids.ToHashSet(), personalize.Undelivered.Select(r => r.Event.EventId!).ToHashSet());
        Assert.Equal(ids.ToHashSet(), failed.Select(f => f.EventId).ToHashSet());
        Assert.All(failed, f => Assert.Equal("ShutdownTimeout", f.ErrorCode));
        Assert.All(reports.Where(r => r != personalize), r => Assert.True(r.Drained, $"{r.Target} left {r.Undelivered.Count}"));
        AssertExactlyOnce(ids, harness.FirehoseRecords().Select(EnvelopeEventId));
        AssertExactlyOnce(ids, (await harness.KinesisRecordsAsync()).Select(r => EnvelopeEventId(r.Envelope)));
    }

    private static void AssertExactlyOnce(IEnumerable<string> expected, IEnumerable<string> actual)
    {
        var sortedExpected = expected.Order(StringComparer.Ordinal).ToList();
        var sortedActual = actual.Order(StringComparer.Ordinal).ToList();
        Assert.True(sortedExpected.Count == sortedActual.Count, $"expected {sortedExpected.Count} got {sortedActual.Count}");
        Assert.Equal(sortedExpected, sortedActual);
    }
}
