using System.Runtime.CompilerServices;
using Microsoft.Extensions.DependencyInjection;
using Personalization.Aws.Errors;
using Personalization.Aws.Firehose;
using Personalization.Aws.Kinesis;
using Personalization.Aws.Personalize.Events;
using Personalization.Grains.Configuration;
using Personalization.Grains.Hosting;

namespace Personalization.Grains.Events;

/// <summary>
/// The delivery queues of each namespace's configured event targets, bound to the real clients. Queues are keyed by
/// what identifies a target (type and destination), so a configuration reload keeps queues (and their pending events)
/// whose target did not change. AWS clients are resolved only when a namespace uses them.
/// </summary>
public sealed class EventTargetRegistry(EventDispatcher dispatcher, IServiceProvider services, DataPaths paths, TimeProvider timeProvider)
{
    private readonly ConditionalWeakTable<ResolvedNamespace, NamespaceTargets> _byNamespace = [];

    public NamespaceTargets For(ResolvedNamespace ns) => _byNamespace.GetValue(ns, Build);

    private NamespaceTargets Build(ResolvedNamespace ns)
    {
        var queues = new List<TargetQueue>(ns.EventTargets.Count);
        var async = ns.EventTargets.Count > 0;
        foreach (var config in ns.EventTargets)
        {
            queues.Add(dispatcher.GetOrAdd(ns.Key, Create(config)));
            async &= config.Mode == EventDeliveryMode.Async;
        }

        return new NamespaceTargets(queues, async ? DeliveryMode.Async : DeliveryMode.Sync);
    }

    private IEventTarget Create(EventTargetConfig config) => config.Type switch
    {
        EventTargetType.PersonalizeEventTracker => new PersonalizeEventTrackerTarget(
            $"personalize-event-tracker:{config.TrackingId}", config.TrackingId!, PutEventsAsync, Classify),
        EventTargetType.KinesisStream => new KinesisStreamTarget(
            $"kinesis-stream:{config.StreamArn ?? config.StreamName}",
            new KinesisStreamTargetOptions
            {
                StreamName = config.StreamName,
                StreamARN = config.StreamArn,
                PartitionKey = string.Equals(config.PartitionKey, "sessionId", StringComparison.OrdinalIgnoreCase) ? KinesisPartitionKey.SessionId : KinesisPartitionKey.UserId,
                Envelope = config.Envelope,
            },
            PutRecordsAsync,
            Classify),
        EventTargetType.KinesisFirehose => new FirehoseTarget($"kinesis-firehose:{config.StreamName}", config.StreamName!, PutRecordBatchAsync, Classify, config.Envelope),
        _ => new FileEventTarget(
            $"file:{paths.Resolve(config.Path!)}",
            new FileTargetOptions { Path = paths.Resolve(config.Path!), MaxBytes = config.MaxBytes ?? 64L * 1024 * 1024, Envelope = config.Envelope },
            timeProvider),
    };

    private Task PutEventsAsync(PersonalizePutEvents request, CancellationToken cancellationToken) =>
        services.GetRequiredService<IPersonalizeEventsClient>().PutEventsAsync(
            new PutEventsRequest
            {
                TrackingId = request.TrackingId,
                SessionId = request.SessionId,
                UserId = request.UserId,
                EventList = request.EventList.Select(e => new Event
                {
                    EventId = e.EventId,
                    EventType = e.EventType,
                    EventValue = e.EventValue,
                    ItemId = e.ItemId,
                    Properties = e.Properties,
                    SentAt = e.SentAt,
                    RecommendationId = e.RecommendationId,
                    Impression = e.Impression?.ToList(),
                    MetricAttribution = e.MetricAttribution is { } attribution ? new MetricAttribution { EventAttributionSource = attribution.EventAttributionSource } : null,
                }).ToList(),
            },
            cancellationToken);

    private async Task<BatchPutResponse> PutRecordsAsync(KinesisPutRecords request, CancellationToken cancellationToken)
    {
        var output = await services.GetRequiredService<IKinesisClient>().PutRecordsAsync(
            new PutRecordsInput
            {
                StreamName = request.StreamName,
                StreamARN = request.StreamARN,
                Records = request.Records.Select(r => new PutRecordsRequestEntry { Data = r.Data, PartitionKey = r.PartitionKey }).ToList(),
            },
            cancellationToken).ConfigureAwait(false);
        return new BatchPutResponse(output.FailedRecordCount ?? 0, output.Records.Select(r => new RecordResponse(r.ErrorCode, r.ErrorMessage)).ToList());
    }

    private async Task<BatchPutResponse> PutRecordBatchAsync(FirehosePutRecordBatch request, CancellationToken cancellationToken)
    {
        var output = await services.GetRequiredService<IFirehoseClient>().PutRecordBatchAsync(
            new PutRecordBatchInput
            {
                DeliveryStreamName = request.DeliveryStreamName,
                Records = request.Records.Select(r => new Aws.Firehose.Record { Data = r }).ToList(),
            },
            cancellationToken).ConfigureAwait(false);
        return new BatchPutResponse(output.FailedPutCount, output.RequestResponses.Select(r => new RecordResponse(r.ErrorCode, r.ErrorMessage)).ToList());
    }

    // A timed-out call has an unknown outcome, so the queue sends it again (at least once). The client marks it
    // not retryable only because its deadline already covers its own retries.
    private static SendError Classify(Exception exception) => exception switch
    {
        AwsTimeoutException timeout => new SendError(true, timeout.ErrorCode, timeout.Message),
        AwsServiceException aws => new SendError(aws.IsRetryable, aws.ErrorCode, aws.Message),
        _ => SendErrors.Classify(exception),
    };
}

/// <summary>A namespace's target queues and how its requests are answered (async only when every target is async).</summary>
public sealed record NamespaceTargets(IReadOnlyList<TargetQueue> Queues, DeliveryMode Mode);
