using System.Text.Json;
using Personalization.Grains.Events;
using Personalization.TestSupport;
using Xunit;
using static Personalization.Grains.Tests.Events.EventFixtures;

namespace Personalization.Grains.Tests.Events;

public sealed class TargetAdapterTests
{
    private readonly ManualTimeProvider _time = new();

    [Fact]
    public async Task Personalize_calls_carry_at_most_10_events_of_one_session_and_the_tracking_id()
    {
        var calls = new List<PersonalizePutEvents>();
        var target = new PersonalizeEventTrackerTarget("tracker", "track-1", (request, _) =>
        {
            lock (calls)
            {
                calls.Add(request);
            }

            return Task.CompletedTask;
        });
        var queue = new TargetQueue("shop", target, _time, Immediate());

        var results = await Task.WhenAll(
            EventFanOut.SendAsync(Submission("s1", "u1", 25), [queue], DeliveryMode.Sync).AsTask(),
            EventFanOut.SendAsync(Submission("s2", null, 3), [queue], DeliveryMode.Sync).AsTask(),
            EventFanOut.SendAsync(Submission("s1", "u1", 4, "x"), [queue], DeliveryMode.Sync).AsTask());

        Assert.All(results, r => Assert.Equal(FanOutStatus.Delivered, r.Status));
        Assert.All(calls, c => Assert.InRange(c.EventList.Count, 1, PersonalizeEventTrackerTarget.MaxEventsPerCall));
        Assert.All(calls, c => Assert.Equal("track-1", c.TrackingId));
        Assert.Equal(25 + 4, calls.Where(c => c is { SessionId: "s1", UserId: "u1" }).Sum(c => c.EventList.Count));
        Assert.Equal(3, calls.Single(c => c.SessionId == "s2").EventList.Count);
    }

    [Fact]
    public async Task A_failed_PutEvents_call_fails_only_its_own_events()
    {
        var target = new PersonalizeEventTrackerTarget(
            "tracker",
            "t",
            (request, _) => request.SessionId == "bad" ? throw new InvalidOperationException("InvalidInputException") : Task.CompletedTask);
        var queue = new TargetQueue("shop", target, _time, Immediate());

        var good = EventFanOut.SendAsync(Submission("good", "u", 2), [queue], DeliveryMode.Sync).AsTask();
        var bad = EventFanOut.SendAsync(Submission("bad", "u", 2), [queue], DeliveryMode.Sync).AsTask();

        Assert.Equal(FanOutStatus.Delivered, (await good).Status);
        var failure = (await bad).Targets.Single();
        Assert.Equal((TargetDeliveryStatus.Failed, "InvalidOperationException"), (failure.Status, failure.Error!.Code));
    }

    [Fact]
    public async Task Kinesis_calls_stay_within_500_records_and_5_MiB_with_the_chosen_partition_key()
    {
        var calls = new List<KinesisPutRecords>();
        var target = new KinesisStreamTarget("stream", new KinesisStreamTargetOptions { StreamName = "events" }, (request, _) =>
        {
            lock (calls)
            {
                calls.Add(request);
            }

            return Task.FromResult(new BatchPutResponse(0, request.Records.Select(_ => new RecordResponse()).ToList()));
        });
        var queue = new TargetQueue("shop", target, _time, Immediate());
        var bigOrigin = Origin with { Headers = new Dictionary<string, string> { ["x-padding"] = new string('p', 20_000) } };

        var small = await EventFanOut.SendAsync(Submission("s", "u-1", 1200), [queue], DeliveryMode.Sync);
        var big = await EventFanOut.SendAsync(Submission("s", null, 600, origin: bigOrigin), [queue], DeliveryMode.Sync);

        Assert.Equal((FanOutStatus.Delivered, FanOutStatus.Delivered), (small.Status, big.Status));
        Assert.Equal(1800, calls.Sum(c => c.Records.Count));
        Assert.All(calls, c => Assert.InRange(c.Records.Count, 1, 500));
        Assert.All(calls, c => Assert.True(c.Records.Sum(r => r.Data.Length + r.PartitionKey.Length) <= KinesisStreamTarget.MaxBytesPerCall));
        Assert.Contains(calls, c => c.Records.Count < 500 && c.Records.Sum(r => r.Data.Length) > 4 * 1024 * 1024);
        Assert.Equal(["s", "u-1"], calls.SelectMany(c => c.Records).Select(r => r.PartitionKey).Distinct().Order());
    }

    [Fact]
    public async Task Kinesis_records_carry_the_original_envelope_or_the_bare_event()
    {
        var sent = new List<KinesisRecord>();
        PutRecordsSender capture = (request, _) =>
        {
            sent.AddRange(request.Records);
            return Task.FromResult(new BatchPutResponse(0, request.Records.Select(_ => new RecordResponse()).ToList()));
        };
        var origin = Origin with { QueryStringParameters = new Dictionary<string, string> { ["a"] = "1" } };
        var envelope = new TargetQueue("shop", new KinesisStreamTarget("env", new() { StreamName = "x", PartitionKey = KinesisPartitionKey.SessionId }, capture), _time, Immediate());
        var bare = new TargetQueue("shop", new KinesisStreamTarget("bare", new() { StreamARN = "arn", Envelope = false }, capture), _time, Immediate());

        await EventFanOut.SendAsync(Submission("s", "u", 1, origin: origin, properties: """{"k":"v"}"""), [envelope], DeliveryMode.Sync);
        await EventFanOut.SendAsync(Submission("s", "u", 1, origin: origin), [bare], DeliveryMode.Sync);

        Assert.Equal("s", sent[0].PartitionKey);
        using var wrapped = JsonDocument.Parse(sent[0].Data);
        var root = wrapped.RootElement;
        Assert.Equal(("shop", "/events/shop", "1"), (root.GetProperty("namespace").GetString(), root.GetProperty("path").GetString(), root.GetProperty("queryStringParameters").GetProperty("a").GetString()));
        var body = root.GetProperty("body");
        Assert.Equal(("s", "u"), (body.GetProperty("sessionId").GetString(), body.GetProperty("userId").GetString()));
        var evt = body.GetProperty("eventList")[0];
        Assert.Equal(("click", """{"k":"v"}""", 1767614400d), (evt.GetProperty("eventType").GetString(), evt.GetProperty("properties").GetString(), evt.GetProperty("sentAt").GetDouble()));

        Assert.Equal("u", sent[1].PartitionKey);
        using var flat = JsonDocument.Parse(sent[1].Data);
        Assert.Equal(("shop", "s", "e0"), (flat.RootElement.GetProperty("namespace").GetString(), flat.RootElement.GetProperty("sessionId").GetString(), flat.RootElement.GetProperty("eventId").GetString()));
    }

    [Fact]
    public async Task Firehose_records_are_newline_terminated_and_calls_stay_within_500_records_and_4_MiB()
    {
        var calls = new List<FirehosePutRecordBatch>();
        var first = true;
        var target = new FirehoseTarget("hose", "delivery", (request, _) =>
        {
            lock (calls)
            {
                calls.Add(request);
                var failFirst = first;
                first = false;

                // The first call loses its first record to ServiceUnavailable; only that one is re-sent.
                return Task.FromResult(new BatchPutResponse(
                    failFirst ? 1 : 0,
                    request.Records.Select((_, i) => failFirst && i == 0 ? new RecordResponse("ServiceUnavailableException", "busy") : new RecordResponse()).ToList()));
            }
        });
        var queue = new TargetQueue("shop", target, _time, Immediate());
        var bigOrigin = Origin with { Headers = new Dictionary<string, string> { ["x-padding"] = new string('p', 20_000) } };

        var result = await EventFanOut.SendAsync(Submission("s", "u", 700, origin: bigOrigin), [queue], DeliveryMode.Sync);

        Assert.Equal(FanOutStatus.Delivered, result.Status);
        Assert.Equal(701, calls.Sum(c => c.Records.Count));
        Assert.All(calls, c => Assert.InRange(c.Records.Count, 1, 500));
        Assert.All(calls, c => Assert.True(c.Records.Sum(r => r.Length) <= FirehoseTarget.MaxBytesPerCall));
        Assert.All(calls.SelectMany(c => c.Records), r => Assert.Equal((byte)'\n', r.Span[^1]));
        Assert.Equal("delivery", calls[0].DeliveryStreamName);
    }

    [Fact]
    public async Task Per_record_errors_map_to_retryable_or_permanent_and_a_short_response_retries_all()
    {
        var responses = new Queue<BatchPutResponse>([
            new BatchPutResponse(2, [new RecordResponse("KMSAccessDeniedException", "denied"), new RecordResponse("ProvisionedThroughputExceededException", "slow"), new RecordResponse()]),
            new BatchPutResponse(0, []),
            new BatchPutResponse(0, [new RecordResponse()]),
        ]);
        var sizes = new List<int>();
        var target = new KinesisStreamTarget("stream", new() { StreamName = "x" }, (request, _) =>
        {
            sizes.Add(request.Records.Count);
            return Task.FromResult(responses.Dequeue());
        });
        var queue = new TargetQueue("shop", target, _time, Immediate());

        var result = (await EventFanOut.SendAsync(Submission("s", "u", 3), [queue], DeliveryMode.Sync)).Targets.Single();

        Assert.Equal([3, 1, 1], sizes);
        Assert.Equal((2, 1, "KMSAccessDeniedException"), (result.Delivered, result.Failed, result.Error!.Code));
    }

    [Fact]
    public async Task A_record_over_the_per_record_limit_fails_permanently_alone()
    {
        var target = new KinesisStreamTarget("stream", new() { StreamName = "x", MaxRecordBytes = 1000 }, (request, _) =>
            Task.FromResult(new BatchPutResponse(0, request.Records.Select(_ => new RecordResponse()).ToList())));
        var queue = new TargetQueue("shop", target, _time, Immediate());

        var ok = await EventFanOut.SendAsync(Submission("s", "u", 2), [queue], DeliveryMode.Sync);
        var tooBig = await EventFanOut.SendAsync(Submission("s", "u", 1, properties: $$"""{"k":"{{new string('v', 1000)}}"}"""), [queue], DeliveryMode.Sync);

        Assert.Equal(FanOutStatus.Delivered, ok.Status);
        Assert.Equal("RecordTooLarge", tooBig.Targets.Single().Error!.Code);
    }
}
