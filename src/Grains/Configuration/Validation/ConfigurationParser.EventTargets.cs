using System.Text.Json;

namespace Personalization.Grains.Configuration;

public static partial class ConfigurationParser
{
    private static EventDeliveryMode? ReadMode(JsonElement element, string path, DocumentReader reader)
    {
        var mode = reader.OptString(element, "mode", path);
        switch (mode)
        {
            case null:
                return null;
            case "sync":
                return EventDeliveryMode.Sync;
            case "async":
                return EventDeliveryMode.Async;
            default:
                reader.Error(DocumentReader.Child(path, "mode"), $"unknown mode '{mode}' (expected sync or async)");
                return null;
        }
    }

    private static List<EventTargetConfig> ParseEventTargets(JsonElement element, string path, EventDeliveryMode? namespaceMode, DocumentReader reader)
    {
        var targets = new List<EventTargetConfig>();
        if (element.ValueKind != JsonValueKind.Array)
        {
            reader.Error(path, "must be an array");
            return targets;
        }

        var index = 0;
        foreach (var targetElement in element.EnumerateArray())
        {
            if (ParseEventTarget(targetElement, DocumentReader.Index(path, index++), namespaceMode, reader) is { } target)
            {
                targets.Add(target);
            }
        }

        return targets;
    }

    private static EventTargetConfig? ParseEventTarget(JsonElement element, string path, EventDeliveryMode? namespaceMode, DocumentReader reader)
    {
        if (!reader.ExpectObject(element, path))
        {
            return null;
        }

        var typeName = reader.ReqString(element, "type", path);
        var mode = ReadMode(element, path, reader) ?? namespaceMode ?? EventDeliveryMode.Sync;
        switch (typeName)
        {
            case null:
                return null;
            case "personalize-event-tracker":
                var trackingId = reader.ReqString(element, "trackingId", path);
                return trackingId is null ? null : new EventTargetConfig(EventTargetType.PersonalizeEventTracker, trackingId, null, null, null, false, null, null, mode);
            case "kinesis-stream":
                return ParseKinesisStream(element, path, mode, reader);
            case "kinesis-firehose":
                var deliveryStream = reader.OptString(element, "streamName", path) ?? reader.OptString(element, "deliveryStreamName", path);
                if (string.IsNullOrWhiteSpace(deliveryStream))
                {
                    reader.Error(DocumentReader.Child(path, "streamName"), "is required (or deliveryStreamName)");
                    return null;
                }

                return new EventTargetConfig(EventTargetType.KinesisFirehose, null, deliveryStream, null, null, true, null, null, mode);
            case "file":
                var filePath = reader.ReqString(element, "path", path);
                var maxBytes = reader.OptInteger(element, "maxBytes", path, 1, long.MaxValue);
                return filePath is null ? null : new EventTargetConfig(EventTargetType.File, null, null, null, null, false, filePath, maxBytes, mode);
            default:
                reader.Error(
                    DocumentReader.Child(path, "type"),
                    $"unknown event target type '{typeName}' (expected personalize-event-tracker, kinesis-stream, kinesis-firehose or file)");
                return null;
        }
    }

    private static EventTargetConfig? ParseKinesisStream(JsonElement element, string path, EventDeliveryMode mode, DocumentReader reader)
    {
        var streamName = reader.OptString(element, "streamName", path);
        var streamArn = reader.OptString(element, "streamArn", path);
        if (string.IsNullOrWhiteSpace(streamName) && string.IsNullOrWhiteSpace(streamArn))
        {
            reader.Error(DocumentReader.Child(path, "streamName"), "is required (or streamArn)");
            return null;
        }

        if (streamArn is not null && !Arns.KinesisStream().IsMatch(streamArn))
        {
            reader.Error(DocumentReader.Child(path, "streamArn"), $"'{streamArn}' is not a Kinesis stream ARN");
            return null;
        }

        var partitionKey = reader.OptString(element, "partitionKey", path);
        if (partitionKey is not null && partitionKey is not ("userId" or "sessionId"))
        {
            reader.Error(DocumentReader.Child(path, "partitionKey"), $"unknown partition key '{partitionKey}' (expected userId or sessionId)");
        }

        var envelope = reader.OptBool(element, "envelope", path) ?? true;
        return new EventTargetConfig(EventTargetType.KinesisStream, null, streamName, streamArn, partitionKey ?? "sessionId", envelope, null, null, mode);
    }
}
