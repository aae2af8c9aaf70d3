using System.Buffers;
using System.Text.Json;

namespace Personalization.Grains.Events;

/// <summary>
/// Writes event payloads with <see cref="Utf8JsonWriter"/> into a per-thread buffer. Runs on the target flushers,
/// never on the request thread. <c>sentAt</c> is epoch seconds, as PutEvents sends it and the original forwarded it.
/// </summary>
internal static class EventPayloadWriter
{
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    public static byte[] Write(EventRecord record, EventPayloadFormat format, bool newlineTerminated)
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(1024);
        buffer.ResetWrittenCount();
        var writer = t_writer ??= new Utf8JsonWriter(buffer);
        writer.Reset(buffer);
        if (format == EventPayloadFormat.Envelope)
        {
            WriteEnvelope(writer, record);
        }
        else
        {
            WriteBare(writer, record);
        }

        writer.Flush();
        var length = buffer.WrittenCount;
        var bytes = new byte[length + (newlineTerminated ? 1 : 0)];
        buffer.WrittenSpan.CopyTo(bytes);
        if (newlineTerminated)
        {
            bytes[length] = (byte)'\n';
        }

        return bytes;
    }

    private static void WriteEnvelope(Utf8JsonWriter writer, EventRecord record)
    {
        var origin = record.Submission.Origin;
        writer.WriteStartObject();
        writer.WriteString("namespace"u8, origin.Namespace);
        writer.WriteString("path"u8, origin.Path);
        WriteMap(writer, "headers"u8, origin.Headers);
        WriteMap(writer, "queryStringParameters"u8, origin.QueryStringParameters);
        writer.WriteStartObject("body"u8);
        writer.WriteString("sessionId"u8, record.SessionId);
        WriteOptional(writer, "userId"u8, record.UserId);
        writer.WriteStartArray("eventList"u8);
        writer.WriteStartObject();
        WriteEventFields(writer, record.Event);
        writer.WriteEndObject();
        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void WriteBare(Utf8JsonWriter writer, EventRecord record)
    {
        writer.WriteStartObject();
        writer.WriteString("namespace"u8, record.Namespace);
        writer.WriteString("sessionId"u8, record.SessionId);
        WriteOptional(writer, "userId"u8, record.UserId);
        WriteEventFields(writer, record.Event);
        writer.WriteEndObject();
    }

    private static void WriteEventFields(Utf8JsonWriter writer, EventData data)
    {
        WriteOptional(writer, "eventId"u8, data.EventId);
        writer.WriteString("eventType"u8, data.EventType);
        if (data.EventValue is { } value)
        {
            writer.WriteNumber("eventValue"u8, value);
        }

        WriteOptional(writer, "itemId"u8, data.ItemId);
        WriteOptional(writer, "properties"u8, data.Properties);
        writer.WriteNumber("sentAt"u8, data.SentAt.ToUnixTimeMilliseconds() / 1000d);
        WriteOptional(writer, "recommendationId"u8, data.RecommendationId);
        if (data.Impression is { } impression)
        {
            writer.WriteStartArray("impression"u8);
            foreach (var item in impression)
            {
                writer.WriteStringValue(item);
            }

            writer.WriteEndArray();
        }

        if (data.MetricAttribution is { } attribution)
        {
            writer.WriteStartObject("metricAttribution"u8);
            writer.WriteString("eventAttributionSource"u8, attribution.EventAttributionSource);
            writer.WriteEndObject();
        }
    }

    private static void WriteOptional(Utf8JsonWriter writer, ReadOnlySpan<byte> name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }

    private static void WriteMap(Utf8JsonWriter writer, ReadOnlySpan<byte> name, IReadOnlyDictionary<string, string>? map)
    {
        writer.WriteStartObject(name);
        if (map is not null)
        {
            foreach (var (key, value) in map)
            {
                writer.WriteString(key, value);
            }
        }

        writer.WriteEndObject();
    }
}
