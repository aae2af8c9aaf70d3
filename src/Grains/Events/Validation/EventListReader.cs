using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Personalization.Grains.Json;

namespace Personalization.Grains.Events;

/// <summary>Reads <c>eventList[]</c> and each PutEvents <c>Event</c> in it, with the model's constraints.</summary>
internal static class EventListReader
{
    private const int MaxPropertiesLength = 1024;
    private const int MaxImpressions = 25;

    private static readonly double MaxEpochMilliseconds = DateTimeOffset.MaxValue.ToUnixTimeMilliseconds();

    private static readonly string[] EventFieldNames =
        ["eventId", "eventType", "eventValue", "itemId", "properties", "sentAt", "recommendationId", "impression", "metricAttribution"];

    public static List<EventData>? Read(ref Utf8JsonReader reader, ReadOnlySpan<byte> body, ValidationErrors errors, DateTimeOffset now, int maxEvents)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            errors.Add("eventList", $"must be an array of 1 to {maxEvents} events, got {JsonTokens.Describe(reader.TokenType)}");
            reader.Skip();
            return null;
        }

        var events = new List<EventData>();
        var index = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (ReadEvent(ref reader, body, errors, now, index) is { } data)
            {
                events.Add(data);
            }

            index++;
        }

        if (index > maxEvents)
        {
            errors.Add("eventList", $"at most {maxEvents} events per request, got {index}");
        }

        return events;
    }

    private static EventData? ReadEvent(ref Utf8JsonReader reader, ReadOnlySpan<byte> body, ValidationErrors errors, DateTimeOffset now, int index)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            errors.Add($"eventList[{index}]", $"must be an event object, got {JsonTokens.Describe(reader.TokenType)}");
            reader.Skip();
            return null;
        }

        var errorsBefore = errors.Count;
        string? eventId = null, eventType = null, itemId = null, properties = null, recommendationId = null;
        float? eventValue = null;
        DateTimeOffset? sentAt = null;
        List<string>? impression = null;
        EventMetricAttribution? attribution = null;
        var seen = new FieldSet();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var field = EventField(ref reader);
            var name = field < 0 ? reader.GetString()! : EventFieldNames[field];
            var path = new FieldPath(name, index);
            reader.Read();
            if (field >= 0 && !seen.Add(field))
            {
                reader.Skip();
                continue;
            }

            switch (field)
            {
                case 0:
                    eventId = JsonTokens.ReadString(ref reader, errors, path, 256, required: false);
                    break;
                case 1:
                    eventType = JsonTokens.ReadString(ref reader, errors, path, 256, required: true);
                    break;
                case 2:
                    eventValue = ReadFloat(ref reader, errors, path);
                    break;
                case 3:
                    itemId = JsonTokens.ReadString(ref reader, errors, path, 256, required: false);
                    break;
                case 4:
                    properties = ReadProperties(ref reader, body, errors, path);
                    break;
                case 5:
                    sentAt = ReadSentAt(ref reader, errors, path);
                    break;
                case 6:
                    recommendationId = JsonTokens.ReadString(ref reader, errors, path, 40, required: false);
                    break;
                case 7:
                    impression = ReadImpression(ref reader, errors, index);
                    break;
                case 8:
                    attribution = ReadAttribution(ref reader, errors, index);
                    break;
                default:
                    errors.Add(path, $"unknown field; an event has {string.Join(", ", EventFieldNames)}");
                    reader.Skip();
                    break;
            }
        }

        if (eventType is null && !seen.Contains(1))
        {
            errors.Add(new FieldPath("eventType", index), "required, a string of 1 to 256 characters");
        }

        if (errors.Count > errorsBefore)
        {
            return null;
        }

        return new EventData
        {
            EventId = eventId,
            EventType = eventType!,
            EventValue = eventValue,
            ItemId = itemId,
            Properties = properties,
            SentAt = sentAt ?? now,
            RecommendationId = recommendationId,
            Impression = impression,
            MetricAttribution = attribution,
        };
    }

    private static int EventField(ref Utf8JsonReader reader)
    {
        for (var i = 0; i < EventFieldNames.Length; i++)
        {
            if (reader.ValueTextEquals(EventFieldNames[i]))
            {
                return i;
            }
        }

        return -1;
    }

    private static float? ReadFloat(ref Utf8JsonReader reader, ValidationErrors errors, FieldPath path)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetDouble(out var value)
            || !double.IsFinite(value) || Math.Abs(value) > float.MaxValue)
        {
            errors.Add(path, $"must be a number within the float range, got {JsonTokens.Describe(reader.TokenType)}");
            reader.Skip();
            return null;
        }

        return (float)value;
    }

    /// <summary>PutEvents wants a JSON string; clients may send the object itself, which is re-written compactly.</summary>
    private static string? ReadProperties(ref Utf8JsonReader reader, ReadOnlySpan<byte> body, ValidationErrors errors, FieldPath path)
    {
        string json;
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.String:
                json = reader.GetString()!;
                if (json.Length is > 0 and <= MaxPropertiesLength && !IsJsonObject(json, errors, path))
                {
                    return null;
                }

                break;
            case JsonTokenType.StartObject:
                var start = (int)reader.TokenStartIndex;
                reader.Skip();
                json = Minify(body[start..(int)reader.BytesConsumed]);
                break;
            default:
                errors.Add(path, $"must be a JSON object, or a string holding one, got {JsonTokens.Describe(reader.TokenType)}");
                reader.Skip();
                return null;
        }

        if (json.Length == 0 || json.Length > MaxPropertiesLength)
        {
            errors.Add(path, $"must be 1 to {MaxPropertiesLength} characters as a JSON string, got {json.Length}");
            return null;
        }

        return json;
    }

    /// <summary>The text inside a properties string is client JSON too, held to the same rules as the body.</summary>
    private static bool IsJsonObject(string json, ValidationErrors errors, FieldPath path)
    {
        var text = ClientJson.Check(json, path.ToString());
        foreach (var problem in text.Problems)
        {
            errors.Add(problem.Path, problem.Message);
        }

        if (!text.IsValid)
        {
            return false;
        }

        if (!json.AsSpan().TrimStart().StartsWith("{", StringComparison.Ordinal))
        {
            errors.Add(path, "must be a JSON object, or a string holding one");
            return false;
        }

        return true;
    }

    /// <summary>
    /// Drops the whitespace between tokens of an object the reader has already validated: a byte scan that only
    /// tracks whether it is inside a string, so no document is built.
    /// </summary>
    private static string Minify(ReadOnlySpan<byte> utf8Object)
    {
        var rented = utf8Object.Length <= 1024 ? null : ArrayPool<byte>.Shared.Rent(utf8Object.Length);
        var output = rented is null ? stackalloc byte[utf8Object.Length] : rented.AsSpan(0, utf8Object.Length);
        var length = 0;
        var inString = false;
        var escaped = false;
        foreach (var b in utf8Object)
        {
            if (inString)
            {
                if (escaped)
                {
                    escaped = false;
                }
                else if (b == (byte)'\\')
                {
                    escaped = true;
                }
                else if (b == (byte)'"')
                {
                    inString = false;
                }
            }
            else if (b is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r')
            {
                continue;
            }
            else
            {
                inString = b == (byte)'"';
            }

            output[length++] = b;
        }

        var json = Encoding.UTF8.GetString(output[..length]);
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }

        return json;
    }

    /// <summary>Epoch seconds (a number, or a numeric string as botocore accepts) or an ISO-8601 date-time.</summary>
    private static DateTimeOffset? ReadSentAt(ref Utf8JsonReader reader, ValidationErrors errors, FieldPath path)
    {
        const string Expected = "must be epoch seconds or an ISO-8601 date-time";
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.Number when reader.TryGetDouble(out var seconds):
                return FromEpochSeconds(seconds) ?? Invalid(errors, path, $"{Expected} between 1970 and 9999, got {seconds}");
            case JsonTokenType.String:
                var text = reader.GetString()!;
                if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var numeric))
                {
                    return FromEpochSeconds(numeric) ?? Invalid(errors, path, $"{Expected} between 1970 and 9999, got {text}");
                }

                if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var instant))
                {
                    return instant >= DateTimeOffset.UnixEpoch ? instant : Invalid(errors, path, $"{Expected} between 1970 and 9999, got '{text}'");
                }

                return Invalid(errors, path, $"{Expected}, got '{text}'");
            default:
                errors.Add(path, $"{Expected}, got {JsonTokens.Describe(reader.TokenType)}");
                reader.Skip();
                return null;
        }

        // The range is checked on the milliseconds actually converted: 253402300799.9999 s rounds to the first
        // millisecond of year 10000, which DateTimeOffset cannot hold.
        static DateTimeOffset? FromEpochSeconds(double seconds)
        {
            var milliseconds = Math.Round(seconds * 1000);
            return double.IsFinite(milliseconds) && milliseconds >= 0 && milliseconds <= MaxEpochMilliseconds
                ? DateTimeOffset.FromUnixTimeMilliseconds((long)milliseconds)
                : null;
        }
    }

    private static DateTimeOffset? Invalid(ValidationErrors errors, FieldPath path, string message)
    {
        errors.Add(path, message);
        return null;
    }

    private static List<string>? ReadImpression(ref Utf8JsonReader reader, ValidationErrors errors, int eventIndex)
    {
        var path = new FieldPath("impression", eventIndex);
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            errors.Add(path, $"must be an array of 1 to {MaxImpressions} item ids, got {JsonTokens.Describe(reader.TokenType)}");
            reader.Skip();
            return null;
        }

        var items = new List<string>();
        var count = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (JsonTokens.ReadString(ref reader, errors, path with { ItemIndex = count }, 256, required: true) is { } item)
            {
                items.Add(item);
            }

            count++;
        }

        if (count is 0 or > MaxImpressions)
        {
            errors.Add(path, $"must hold 1 to {MaxImpressions} item ids, got {count}");
        }

        return items;
    }

    private static EventMetricAttribution? ReadAttribution(ref Utf8JsonReader reader, ValidationErrors errors, int eventIndex)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            errors.Add(new FieldPath("metricAttribution", eventIndex), $"must be an object {{eventAttributionSource}}, got {JsonTokens.Describe(reader.TokenType)}");
            reader.Skip();
            return null;
        }

        string? source = null;
        var present = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (!reader.ValueTextEquals("eventAttributionSource"u8))
            {
                errors.Add(new FieldPath($"metricAttribution.{reader.GetString()}", eventIndex), "unknown field; expected eventAttributionSource");
                reader.Read();
                reader.Skip();
                continue;
            }

            reader.Read();
            var path = new FieldPath("metricAttribution.eventAttributionSource", eventIndex);
            if (present)
            {
                reader.Skip();
                continue;
            }

            present = true;
            source = JsonTokens.ReadString(ref reader, errors, path, 1024, required: true);
            if (source is not null && !IsPrintableAscii(source))
            {
                errors.Add(path, "must be printable ASCII with at least one non-space character");
                source = null;
            }
        }

        if (!present)
        {
            errors.Add(new FieldPath("metricAttribution.eventAttributionSource", eventIndex), "required, a string of 1 to 1024 characters");
        }

        return source is null ? null : new EventMetricAttribution(source);
    }

    // The model's pattern ^[\x20-\x7E]*[\x21-\x7E]+[\x20-\x7E]*$.
    private static bool IsPrintableAscii(string value)
    {
        var nonSpace = false;
        foreach (var c in value)
        {
            if (c is < '\x20' or > '\x7E')
            {
                return false;
            }

            nonSpace |= c != ' ';
        }

        return nonSpace;
    }
}
