using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Personalization.Aws;
using Personalization.Aws.Firehose;
using Personalization.Aws.Kinesis;
using Personalization.Grains.Configuration;
using Personalization.Grains.Events;
using Personalization.Grains.Hosting;
using Personalization.LocalAws;
using Personalization.TestSupport;
using Xunit;

namespace Personalization.Grains.Tests.Events.Integration;

/// <summary>
/// The production wiring of one namespace with three AWS targets: a parsed configuration, an
/// <see cref="EventTargetRegistry"/> resolving the real clients from a service provider, kinesalite for Kinesis and
/// LocalAws for Personalize events and Firehose. The AWS transport does not retry, so injected faults reach the queues.
/// </summary>
internal sealed class EventPipelineHarness : IAsyncDisposable
{
    public const string Namespace = "shop";
    public const string TrackingId = "tracking-it";

    private readonly ServiceProvider _services;
    private readonly string _dataFolder;
    private readonly EventsRequestParser _parser;

    private EventPipelineHarness(LocalAwsServer server, ObservedManualClock serverClock, ServiceProvider services, string stream, string deliveryStream, string dataFolder, string mode, TargetQueueOptions options, ManualTimeProvider time)
    {
        Server = server;
        ServerClock = serverClock;
        _services = services;
        KinesisStream = stream;
        DeliveryStream = deliveryStream;
        _dataFolder = dataFolder;
        Time = time;
        _parser = new EventsRequestParser(time);
        Dispatcher = new EventDispatcher(time, options);
        var registry = new EventTargetRegistry(Dispatcher, services, new DataPaths(dataFolder), time);
        var snapshot = ConfigurationParser.Parse(Encoding.UTF8.GetBytes(ConfigurationJson(stream, deliveryStream, mode))).Snapshot
            ?? throw new InvalidOperationException("the test configuration did not parse");
        Assert.True(snapshot.TryGetNamespace(Namespace, out var ns));
        Targets = registry.For(ns);
    }

    public LocalAwsServer Server { get; }

    /// <summary>The clock LocalAws waits its injected latency on: a delayed call stays in flight until advanced.</summary>
    public ObservedManualClock ServerClock { get; }

    public ManualTimeProvider Time { get; }

    public string KinesisStream { get; }

    public string DeliveryStream { get; }

    public EventDispatcher Dispatcher { get; }

    public NamespaceTargets Targets { get; }

    public PerRecordFailingFirehoseClient? FailingFirehose => _services.GetService<PerRecordFailingFirehoseClient>();

    public PerRecordFailingKinesisClient? FailingKinesis => _services.GetService<PerRecordFailingKinesisClient>();

    public KinesisStreamReader Kinesis => new(_services.GetRequiredService<AwsClientFactory>());

    public static async Task<EventPipelineHarness> StartAsync(
        KinesaliteFixture kinesalite,
        string mode,
        TargetQueueOptions options,
        int callsWithPerRecordFailures = 0,
        TimeSpan? callTimeout = null)
    {
        var serverClock = new ObservedManualClock();
        var server = await LocalAwsServer.StartAsync(new LocalAwsOptions { TimeProvider = serverClock });
        var collection = new ServiceCollection().AddAwsClients(o =>
        {
            var local = server.ClientOptions();
            o.Region = local.Region;
            o.AccessKeyId = local.AccessKeyId;
            o.SecretAccessKey = local.SecretAccessKey;
            foreach (var (service, url) in local.ServiceUrls)
            {
                o.ServiceUrls[service] = url;
            }

            o.ServiceUrls["kinesis"] = kinesalite.ServiceUrl;
            o.MaxRetries = 0;
            o.Timeout = callTimeout ?? o.Timeout;
        });
        if (callsWithPerRecordFailures > 0)
        {
            // Registered after AddAwsClients, so the registry resolves these in front of the real clients.
            collection.AddSingleton(p => new PerRecordFailingFirehoseClient(p.GetRequiredService<AwsClientFactory>().CreateFirehoseClient(), callsWithPerRecordFailures));
            collection.AddSingleton<IFirehoseClient>(p => p.GetRequiredService<PerRecordFailingFirehoseClient>());
            collection.AddSingleton(p => new PerRecordFailingKinesisClient(p.GetRequiredService<AwsClientFactory>().CreateKinesisClient(), callsWithPerRecordFailures));
            collection.AddSingleton<IKinesisClient>(p => p.GetRequiredService<PerRecordFailingKinesisClient>());
        }

        var services = collection.BuildServiceProvider();
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var dataFolder = Directory.CreateTempSubdirectory("events-it-").FullName;
        var harness = new EventPipelineHarness(server, serverClock, services, "events-" + suffix, "firehose-" + suffix, dataFolder, mode, options, new ManualTimeProvider());
        await harness.Kinesis.CreateActiveStreamAsync(harness.KinesisStream);
        return harness;
    }

    public static string ConfigurationJson(string stream, string deliveryStream, string mode) => $$"""
        {
          "version": "events-it",
          "namespaces": {
            "{{Namespace}}": {
              "eventTargets": [
                { "type": "personalize-event-tracker", "trackingId": "{{TrackingId}}", "mode": "{{mode}}" },
                { "type": "kinesis-stream", "streamName": "{{stream}}", "partitionKey": "userId", "mode": "{{mode}}" },
                { "type": "kinesis-firehose", "streamName": "{{deliveryStream}}", "mode": "{{mode}}" }
              ]
            }
          }
        }
        """;

    /// <summary>A request body as a client posts it, parsed by the real parser.</summary>
    public static string Body(string sessionId, string userId, IEnumerable<string> eventIds) =>
        new JsonObject
        {
            ["sessionId"] = sessionId,
            ["userId"] = userId,
            ["eventList"] = new JsonArray(eventIds.Select(id => (JsonNode)new JsonObject
            {
                ["eventId"] = id,
                ["eventType"] = "click",
                ["itemId"] = "item-" + id,
                ["sentAt"] = 1767614400,
            }).ToArray()),
        }.ToJsonString();

    public ValueTask<FanOutResult> SendAsync(string body)
    {
        var parsed = _parser.Parse(Encoding.UTF8.GetBytes(body));
        Assert.True(parsed.IsValid, string.Join("; ", parsed.Errors));
        var submission = new EventSubmission(new EventOrigin(Namespace, "/events/" + Namespace), parsed.Request!);
        return EventFanOut.SendAsync(submission, Targets.Queues, Targets.Mode);
    }

    /// <summary>The PutEvents calls LocalAws answered 200, as parsed JSON bodies.</summary>
    public IReadOnlyList<JsonNode> SuccessfulPutEvents() =>
        Server.State.Recorded.For("PutEvents").Where(c => c.StatusCode == 200).Select(c => JsonNode.Parse(c.Body)!).ToList();

    public IReadOnlyList<JsonNode> SuccessfulPutRecordBatches() =>
        Server.State.Recorded.For("PutRecordBatch").Where(c => c.StatusCode == 200).Select(c => JsonNode.Parse(c.Body)!).ToList();

    public IReadOnlyList<string> PersonalizeEventIds() =>
        SuccessfulPutEvents().SelectMany(call => call["eventList"]!.AsArray().Select(e => e!["eventId"]!.GetValue<string>())).ToList();

    /// <summary>What Firehose stored, each record decoded as the one-event envelope it must be.</summary>
    public IReadOnlyList<JsonNode> FirehoseRecords() =>
        Server.State.Firehose.Records(DeliveryStream).Select(data =>
        {
            Assert.Equal((byte)'\n', data[^1]);
            Assert.DoesNotContain((byte)'\n', data[..^1]);
            return JsonNode.Parse(data.AsSpan(0, data.Length - 1))!;
        }).ToList();

    public static string EnvelopeEventId(JsonNode envelope) =>
        Assert.Single(envelope["body"]!["eventList"]!.AsArray())!["eventId"]!.GetValue<string>();

    public async Task<IReadOnlyList<(string PartitionKey, JsonNode Envelope)>> KinesisRecordsAsync() =>
        (await Kinesis.ReadAllAsync(KinesisStream)).Select(r => (r.PartitionKey, JsonNode.Parse(r.Data)!)).ToList();

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        await Server.DisposeAsync();
        Directory.Delete(_dataFolder, recursive: true);
    }
}
