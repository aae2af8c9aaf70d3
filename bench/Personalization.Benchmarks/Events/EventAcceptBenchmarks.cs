using System.Text;
using BenchmarkDotNet.Attributes;
using Personalization.Grains.Events;

namespace Personalization.Benchmarks.Events;

/// <summary>
/// Events accepted per second through parse + fan-out to three no-op targets. Each benchmark method handles
/// <see cref="EventsPerInvoke"/> events, so the reported time is per event (events/s = 1e9 / Mean[ns]).
/// Run: dotnet run -c Release --project bench/Personalization.Benchmarks -- --filter '*EventAccept*' --job short
/// </summary>
[MemoryDiagnoser]
public class EventAcceptBenchmarks
{
    private const int EventsPerRequest = 10;
    private const int Requests = 640;
    private const int EventsPerInvoke = EventsPerRequest * Requests;
    private const int Concurrency = 64;

    private static readonly EventOrigin Origin = new("shop", "/events/shop");

    private byte[] _body = [];
    private EventsRequestParser _parser = null!;
    private TargetQueue[] _asyncQueues = [];
    private TargetQueue[] _syncQueues = [];
    private long _rejected;

    [GlobalSetup]
    public void Setup()
    {
        var events = string.Join(",", Enumerable.Range(0, EventsPerRequest).Select(i =>
            $$"""{"eventId":"e{{i}}","eventType":"click","itemId":"item-{{i}}","properties":{"color":"red"},"sentAt":1767614400}"""));
        _body = Encoding.UTF8.GetBytes($$"""{"sessionId":"session-1","userId":"user-1","eventList":[{{events}}]}""");
        _parser = new EventsRequestParser(TimeProvider.System);
        var asyncOptions = new TargetQueueOptions { Capacity = 1_000_000 };
        var syncOptions = new TargetQueueOptions { Capacity = 1_000_000, FlushDelay = TimeSpan.Zero };
        _asyncQueues = Enumerable.Range(0, 3).Select(i => new TargetQueue("shop", new NoOpTarget($"t{i}"), TimeProvider.System, asyncOptions)).ToArray();
        _syncQueues = Enumerable.Range(0, 3).Select(i => new TargetQueue("shop", new NoOpTarget($"t{i}"), TimeProvider.System, syncOptions)).ToArray();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        Task.WhenAll(_asyncQueues.Concat(_syncQueues).Select(q => q.StopAsync(TimeSpan.FromSeconds(10)))).GetAwaiter().GetResult();
        Console.WriteLine($"// rejected requests: {_rejected}");
    }

    /// <summary>Async mode (202): parse and admit into three bounded queues; flushers deliver in the background.</summary>
    [Benchmark(OperationsPerInvoke = EventsPerInvoke)]
    public async Task AcceptAsyncMode()
    {
        for (var i = 0; i < Requests; i++)
        {
            var result = await EventFanOut.SendAsync(Parse(), _asyncQueues, DeliveryMode.Async);
            if (result.Status != FanOutStatus.Accepted)
            {
                _rejected++;
            }
        }
    }

    /// <summary>Sync mode (200): 64 concurrent requests each wait until all three targets delivered.</summary>
    [Benchmark(OperationsPerInvoke = EventsPerInvoke)]
    public async Task DeliverSyncMode()
    {
        var workers = new Task[Concurrency];
        for (var w = 0; w < Concurrency; w++)
        {
            workers[w] = Task.Run(async () =>
            {
                for (var i = 0; i < Requests / Concurrency; i++)
                {
                    await EventFanOut.SendAsync(Parse(), _syncQueues, DeliveryMode.Sync);
                }
            });
        }

        await Task.WhenAll(workers);
    }

    private EventSubmission Parse() => new(Origin, _parser.Parse(_body).Request!);

    private sealed class NoOpTarget(string name) : IEventTarget
    {
        public string Name { get; } = name;

        public TargetBatchLimits Limits { get; } = new(500);

        public int MeasureBytes(EventRecord record) => 0;

        public Task<TargetBatchResult> SendAsync(IReadOnlyList<EventRecord> batch, CancellationToken cancellationToken) =>
            Task.FromResult(TargetBatchResult.Delivered(batch.Count));
    }
}
