using System.Diagnostics.Metrics;
using Personalization.Grains.Events;
using Personalization.TestSupport;
using Xunit;
using static Personalization.Grains.Tests.Events.EventFixtures;

namespace Personalization.Grains.Tests.Events;

public sealed class EventFanOutTests
{
    private readonly ManualTimeProvider _time = new();

    [Fact]
    public async Task A_full_queue_rejects_the_whole_request_on_every_target()
    {
        var small = new RecordingTarget("small") { Gate = new TaskCompletionSource() };
        var large = new RecordingTarget("large") { Gate = small.Gate };
        TargetQueue[] queues = [new("shop", small, _time, Immediate(capacity: 10)), new("shop", large, _time, Immediate(capacity: 100))];

        var first = EventFanOut.SendAsync(Submission("s", "u", 8, "a"), queues, DeliveryMode.Sync).AsTask();
        var rejected = await EventFanOut.SendAsync(Submission("s", "u", 5, "b"), queues, DeliveryMode.Sync);

        Assert.Equal((FanOutStatus.Rejected, 429, "small"), (rejected.Status, rejected.HttpStatusCode, rejected.RejectedBy));
        Assert.Equal(TimeSpan.FromSeconds(1), rejected.RetryAfter);
        Assert.Equal(8, queues[1].Depth);

        small.Gate.SetResult();
        Assert.Equal(FanOutStatus.Delivered, (await first).Status);
        Assert.Equal(8, large.Delivered.Count);
        Assert.DoesNotContain(large.Delivered, r => r.Event.EventId!.StartsWith('b'));
        Assert.Equal(FanOutStatus.Delivered, (await EventFanOut.SendAsync(Submission("s", "u", 5, "b"), queues, DeliveryMode.Sync)).Status);
    }

    [Fact]
    public async Task Async_mode_answers_once_every_queue_accepted()
    {
        var target = new RecordingTarget("k") { Gate = new TaskCompletionSource() };
        var queue = new TargetQueue("shop", target, _time, Immediate());

        var result = await EventFanOut.SendAsync(Submission("s", "u", 4), [queue], DeliveryMode.Async);

        Assert.Equal((FanOutStatus.Accepted, 202, 4), (result.Status, result.HttpStatusCode, result.Accepted));
        Assert.Empty(target.Delivered);
        target.Gate.SetResult();
        Assert.True((await queue.StopAsync(TimeSpan.FromSeconds(5))).Drained);
        Assert.Equal(4, target.Delivered.Count);
    }

    [Fact]
    public async Task A_target_in_async_mode_is_not_waited_for_and_the_response_serializes_per_target()
    {
        var slow = new RecordingTarget("archive") { Gate = new TaskCompletionSource() };
        TargetQueue[] queues =
        [
            new("shop", new RecordingTarget("tracker"), _time, Immediate()),
            new("shop", slow, _time, Immediate() with { Mode = DeliveryMode.Async }),
        ];

        var result = await EventFanOut.SendAsync(Submission("s", "u", 3), queues, DeliveryMode.Sync);

        Assert.Equal(200, result.HttpStatusCode);
        Assert.Equal(
            """{"targets":[{"target":"tracker","status":"delivered","delivered":3,"failed":0},{"target":"archive","status":"accepted","delivered":0,"failed":0}],"accepted":3}""",
            System.Text.Json.JsonSerializer.Serialize(result.ToResponse(), EventsJsonContext.Default.EventsResponse));
        slow.Gate.SetResult();
        Assert.True((await queues[1].StopAsync(TimeSpan.FromSeconds(5))).Drained);
        Assert.Equal(3, slow.Delivered.Count);
    }

    [Fact]
    public async Task A_conversions_only_request_completes_with_nothing_to_send()
    {
        var queue = new TargetQueue("shop", new RecordingTarget("k"), _time, Immediate());
        var submission = new EventSubmission(Origin, new EventsRequest { SessionId = "s", UserId = "u", EventList = [] });

        var result = await EventFanOut.SendAsync(submission, [queue], DeliveryMode.Sync);

        Assert.Equal(FanOutStatus.Delivered, result.Status);
        Assert.Equal(0, result.Targets.Single().Delivered);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public async Task Randomized_throttling_and_errors_lose_nothing_that_was_accepted(int seed)
    {
        var random = new Random(seed);
        var targets = Enumerable.Range(0, 3).Select(i => new RecordingTarget($"t{i}", maxRecords: 7 + (i * 20), maxConcurrentBatches: 1 + i)
        {
            Respond = (_, batch) =>
            {
                double roll;
                lock (random)
                {
                    roll = random.NextDouble();
                }

                if (roll < 0.1)
                {
                    throw new IOException("connection reset");
                }

                if (roll < 0.25)
                {
                    return TargetBatchResult.Failed(batch.Count, new SendError(true, "ThrottlingException", "slow down"));
                }

                lock (random)
                {
                    return TargetBatchResult.FromOutcomes(batch.Select(_ => random.NextDouble() < 0.3
                        ? new RecordOutcome(RecordStatus.RetryableFailure, "InternalFailure", "try again")
                        : RecordOutcome.Delivered).ToArray());
                }
            },
        }).ToList();
        var queues = targets.Select(t => new TargetQueue("shop", t, _time, Immediate(capacity: 300, maxAttempts: 1000) with { Random = new Random(seed) })).ToList();

        var results = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => Task.Run(async () =>
            await EventFanOut.SendAsync(Submission($"s{i}", $"u{i % 17}", 1 + (i % 5), $"r{i}-"), queues, i % 2 == 0 ? DeliveryMode.Sync : DeliveryMode.Async))));
        var reports = await Task.WhenAll(queues.Select(q => q.StopAsync(TimeSpan.FromMinutes(1))));

        Assert.All(reports, r => Assert.True(r.Drained));
        var accepted = results
            .Select((r, i) => (r, i))
            .Where(x => x.r.Status is FanOutStatus.Delivered or FanOutStatus.Accepted)
            .SelectMany(x => Enumerable.Range(0, 1 + (x.i % 5)).Select(e => $"r{x.i}-{e}"))
            .Order()
            .ToList();
        Assert.NotEmpty(accepted);
        Assert.All(results, r => Assert.NotEqual(FanOutStatus.PartiallyFailed, r.Status));
        foreach (var target in targets)
        {
            Assert.Equal(accepted, target.Delivered.Select(r => r.Event.EventId!).Order().ToList());
        }
    }

    [Fact]
    public async Task Metrics_count_accepted_delivered_retried_failed_and_rejected_per_target()
    {
        var ns = $"metrics-{Guid.NewGuid():N}";
        var totals = new Dictionary<string, long>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == EventMetrics.MeterName)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            string? tagNamespace = null, tagTarget = null;
            foreach (var tag in tags)
            {
                tagNamespace = tag.Key == "namespace" ? (string?)tag.Value : tagNamespace;
                tagTarget = tag.Key == "target" ? (string?)tag.Value : tagTarget;
            }

            if (tagNamespace == ns)
            {
                lock (totals)
                {
                    var key = $"{instrument.Name}/{tagTarget}";
                    totals[key] = totals.GetValueOrDefault(key) + value;
                }
            }
        });
        listener.Start();

        var flaky = new RecordingTarget("flaky")
        {
            Respond = (call, batch) => TargetBatchResult.FromOutcomes(batch.Select((_, i) => (call, i) switch
            {
                (0, 0) => new RecordOutcome(RecordStatus.RetryableFailure, "InternalFailure", "again"),
                (0, 1) => new RecordOutcome(RecordStatus.PermanentFailure, "InvalidArgumentException", "bad"),
                _ => RecordOutcome.Delivered,
            }).ToArray()),
        };
        var gated = new RecordingTarget("gated") { Gate = new TaskCompletionSource() };
        TargetQueue[] queues = [new(ns, flaky, _time, Immediate()), new(ns, gated, _time, Immediate(capacity: 4))];

        var first = EventFanOut.SendAsync(Submission("s", "u", 4), queues, DeliveryMode.Sync).AsTask();
        await EventFanOut.SendAsync(Submission("s", "u", 1), queues, DeliveryMode.Sync);
        listener.RecordObservableInstruments();
        var depthWhileHeld = totals.GetValueOrDefault("events.queue.depth/gated");
        gated.Gate.SetResult();
        await first;

        Assert.Equal(4, depthWhileHeld);
        Assert.Equal(4, totals["events.accepted/flaky"]);
        Assert.Equal(3, totals["events.delivered/flaky"]);
        Assert.Equal(1, totals["events.retried/flaky"]);
        Assert.Equal(1, totals["events.failed/flaky"]);
        Assert.Equal(4, totals["events.delivered/gated"]);
        Assert.Equal(1, totals["events.rejected/gated"]);
    }
}
