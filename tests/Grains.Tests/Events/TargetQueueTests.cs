using Personalization.Grains.Events;
using Personalization.TestSupport;
using Xunit;
using static Personalization.Grains.Tests.Events.EventFixtures;

namespace Personalization.Grains.Tests.Events;

public sealed class TargetQueueTests
{
    private readonly ManualTimeProvider _time = new();

    [Fact]
    public async Task Concurrent_requests_share_batches()
    {
        var target = new RecordingTarget("k", maxRecords: 50) { Gate = new TaskCompletionSource() };
        var queue = new TargetQueue("shop", target, _time, Immediate());
        var first = EventFanOut.SendAsync(Submission("s0", "u0", 1), [queue], DeliveryMode.Sync).AsTask();
        await target.FirstCall.Task;

        // While the first send is held, 99 requests from many threads pile up behind it.
        var rest = new Task<FanOutResult>[99];
        Parallel.For(0, rest.Length, i => rest[i] = EventFanOut.SendAsync(Submission($"s{i + 1}", $"u{i + 1}", 1), [queue], DeliveryMode.Sync).AsTask());
        target.Gate.SetResult();
        var results = await Task.WhenAll(rest.Append(first));

        Assert.All(results, r => Assert.Equal(FanOutStatus.Delivered, r.Status));
        Assert.Equal([1, 50, 49], target.Calls.Select(c => c.Count));
        Assert.Equal(100, target.Delivered.Select(r => r.SessionId).Distinct().Count());
    }

    [Fact]
    public async Task A_partial_batch_waits_for_the_flush_delay_and_a_full_one_goes_at_once()
    {
        var target = new RecordingTarget("k", maxRecords: 10);
        var queue = new TargetQueue("shop", target, _time, Immediate() with { FlushDelay = TimeSpan.FromMilliseconds(5) });

        queue.TryEnqueue(Submission("s", "u", 3));
        await queue.WhenIdleAsync();
        Assert.Empty(target.Calls);

        queue.TryEnqueue(Submission("s", "u", 7, "f"));
        await queue.WhenIdleAsync();
        Assert.Equal([10], target.Calls.Select(c => c.Count));

        queue.TryEnqueue(Submission("s", "u", 2, "g"));
        await queue.WhenIdleAsync();
        _time.Advance(TimeSpan.FromMilliseconds(4));
        await queue.WhenIdleAsync();
        Assert.Single(target.Calls);

        _time.Advance(TimeSpan.FromMilliseconds(1));
        await queue.WhenIdleAsync();
        Assert.Equal([10, 2], target.Calls.Select(c => c.Count));
    }

    [Fact]
    public async Task Only_the_failed_records_of_a_partial_failure_are_sent_again()
    {
        var target = new RecordingTarget("k")
        {
            Respond = (call, batch) => call > 0
                ? TargetBatchResult.Delivered(batch.Count)
                : TargetBatchResult.FromOutcomes(batch.Select((_, i) => i % 2 == 1
                    ? new RecordOutcome(RecordStatus.RetryableFailure, "ProvisionedThroughputExceededException", "slow down")
                    : RecordOutcome.Delivered).ToArray()),
        };
        var queue = new TargetQueue("shop", target, _time, Immediate());

        var result = await EventFanOut.SendAsync(Submission("s", "u", 6), [queue], DeliveryMode.Sync);

        Assert.Equal(FanOutStatus.Delivered, result.Status);
        Assert.Equal(6, result.Targets.Single().Delivered);
        Assert.Equal(["e1", "e3", "e5"], target.Calls[1].Select(r => r.Event.EventId));
        Assert.Equal(2, target.Calls.Count);
    }

    [Fact]
    public async Task Retries_back_off_on_the_time_provider_and_a_throttled_target_pauses()
    {
        var target = new RecordingTarget("k")
        {
            Respond = (call, batch) => call == 0
                ? TargetBatchResult.Failed(batch.Count, new SendError(true, "ThrottlingException", "rate exceeded"))
                : TargetBatchResult.Delivered(batch.Count),
        };
        var options = Immediate() with
        {
            Retry = new RetryPolicy { BaseDelay = TimeSpan.FromSeconds(1), MaxDelay = TimeSpan.FromSeconds(1) },
            RejectRetryAfter = TimeSpan.Zero,
        };
        var queue = new TargetQueue("shop", target, _time, options);

        var pending = EventFanOut.SendAsync(Submission("s", "u", 2), [queue], DeliveryMode.Sync).AsTask();
        await queue.WhenIdleAsync();
        Assert.Single(target.Calls);

        // Equal jitter: the first retry waits between half the delay and all of it.
        _time.Advance(TimeSpan.FromMilliseconds(499));
        await queue.WhenIdleAsync();
        Assert.Single(target.Calls);
        Assert.InRange(queue.RetryAfter, TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(501));

        _time.Advance(TimeSpan.FromMilliseconds(501));
        var result = await pending;
        Assert.Equal(FanOutStatus.Delivered, result.Status);
        Assert.Equal(2, target.Calls.Count);
    }

    [Fact]
    public async Task A_record_is_given_up_after_max_attempts_and_reported_never_dropped()
    {
        var failed = new List<(string?, RecordOutcome)>();
        var target = new RecordingTarget("k") { Respond = (_, batch) => TargetBatchResult.Failed(batch.Count, new SendError(true, "InternalFailure", "boom")) };
        var queue = new TargetQueue("shop", target, _time, Immediate(maxAttempts: 3) with { OnFailed = (r, o) => { lock (failed) { failed.Add((r.Event.EventId, o)); } } });

        var result = await EventFanOut.SendAsync(Submission("s", "u", 2), [queue], DeliveryMode.Sync);

        Assert.Equal(FanOutStatus.PartiallyFailed, result.Status);
        Assert.Equal(502, result.HttpStatusCode);
        var target0 = result.Targets.Single();
        Assert.Equal((TargetDeliveryStatus.Failed, 0, 2), (target0.Status, target0.Delivered, target0.Failed));
        Assert.Equal("InternalFailure", target0.Error!.Code);
        Assert.Contains("gave up after 3 attempts", target0.Error.Message, StringComparison.Ordinal);
        Assert.Equal(3, target.Calls.Count);
        Assert.Equal(2, failed.Count);
        Assert.Equal(0, queue.Depth);
    }

    [Fact]
    public async Task Permanent_failures_are_not_retried()
    {
        var target = new RecordingTarget("k") { Respond = (_, batch) => TargetBatchResult.Failed(batch.Count, new SendError(false, "AccessDeniedException", "no")) };
        var queue = new TargetQueue("shop", target, _time, Immediate());

        var result = await EventFanOut.SendAsync(Submission("s", "u", 4), [queue], DeliveryMode.Sync);

        Assert.Equal("AccessDeniedException", result.Targets.Single().Error!.Code);
        Assert.Single(target.Calls);
    }

    [Fact]
    public async Task A_thrown_exception_counts_as_a_retryable_failure()
    {
        var target = new RecordingTarget("k") { Respond = (call, batch) => call == 0 ? throw new TimeoutException("late") : TargetBatchResult.Delivered(batch.Count) };
        var queue = new TargetQueue("shop", target, _time, Immediate());

        var result = await EventFanOut.SendAsync(Submission("s", "u", 3), [queue], DeliveryMode.Sync);

        Assert.Equal(FanOutStatus.Delivered, result.Status);
        Assert.Equal([3, 3], target.Calls.Select(c => c.Count));
    }

    [Fact]
    public async Task Stop_drains_what_is_queued_and_refuses_new_events()
    {
        var target = new RecordingTarget("k", maxRecords: 10) { Gate = new TaskCompletionSource() };
        var queue = new TargetQueue("shop", target, _time, Immediate() with { FlushDelay = TimeSpan.FromHours(1) });
        queue.TryEnqueue(Submission("s", "u", 25));
        await target.FirstCall.Task;

        var stop = queue.StopAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(AdmissionStatus.ShuttingDown, queue.TryEnqueue(Submission("s", "u", 1)));
        Assert.False(stop.IsCompleted);
        target.Gate.SetResult();
        var report = await stop;

        Assert.True(report.Drained);
        Assert.Empty(report.Undelivered);
        Assert.Equal(25, target.Delivered.Count);
    }

    [Fact]
    public async Task Stop_reports_what_it_could_not_deliver_in_time()
    {
        var target = new RecordingTarget("k", maxRecords: 10) { Gate = new TaskCompletionSource() };
        var queue = new TargetQueue("shop", target, _time, Immediate());
        var pending = EventFanOut.SendAsync(Submission("s", "u", 15), [queue], DeliveryMode.Sync).AsTask();
        await target.FirstCall.Task;

        var stop = queue.StopAsync(TimeSpan.FromSeconds(30));
        _time.Advance(TimeSpan.FromSeconds(30));
        var report = await stop;

        Assert.False(report.Drained);
        Assert.Equal(15, report.Undelivered.Count);
        var result = await pending;
        Assert.Equal("ShutdownTimeout", result.Targets.Single().Error!.Code);
        Assert.Equal(15, result.Targets.Single().Failed);
    }
}
