using System.Text.Json;
using Personalization.Grains.Json;

namespace Personalization.Grains.Events;

/// <summary>
/// Reads and validates a <c>POST /events/{namespace}</c> body against the PutEvents model in one forward pass over
/// the UTF-8 bytes (<see cref="Utf8JsonReader"/>), after <see cref="ClientJson"/> has vetted the text: every problem is
/// collected with its JSON path instead of stopping at the first one, and nothing throws for bad input. Unknown fields
/// are rejected at every level, as botocore's parameter validation did for the original Personalize target.
/// Thread-safe and reusable.
/// </summary>
public sealed class EventsRequestParser(TimeProvider timeProvider, EventsRequestLimits? limits = null)
{
    private readonly EventsRequestLimits _limits = limits ?? EventsRequestLimits.Default;

    public EventsRequestLimits Limits => _limits;

    public EventsParseResult Parse(ReadOnlySpan<byte> utf8Body)
    {
        if (utf8Body.Length > _limits.MaxBodyBytes)
        {
            return EventsParseResult.TooLarge(_limits.MaxBodyBytes);
        }

        var errors = new ValidationErrors();
        var text = ClientJson.Check(utf8Body, maxDepth: MaxDepth);
        foreach (var problem in text.Problems)
        {
            errors.Add(problem.Path.Length == 0 ? "body" : problem.Path, problem.Message);
        }

        // Past this point the reader cannot throw: the text is well-formed, valid Unicode and within the depth. A
        // repeated key is reported above and the rest is still read, so one answer lists every problem.
        if (!text.IsReadable)
        {
            return EventsParseResult.Invalid(errors.ToList());
        }

        var now = timeProvider.GetUtcNow();
        var reader = new Utf8JsonReader(utf8Body, new JsonReaderOptions { MaxDepth = MaxDepth });
        string? sessionId = null, userId = null;
        List<EventData>? events = null;
        var eventListSeen = false;
        var conversionsSeen = false;
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            errors.Add("body", $"must be a JSON object {{sessionId, userId?, eventList[]}}, got {JsonTokens.Describe(reader.TokenType)}");
            return EventsParseResult.Invalid(errors.ToList());
        }

        var seen = new FieldSet();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var field = TopLevelField(ref reader);
            var name = field < 0 ? reader.GetString()! : TopLevelNames[field];
            reader.Read();
            if (field >= 0 && !seen.Add(field))
            {
                reader.Skip();
                continue;
            }

            switch (field)
            {
                case 0:
                    sessionId = JsonTokens.ReadString(ref reader, errors, "sessionId", maxLength: 256, required: true);
                    break;
                case 1:
                    userId = JsonTokens.ReadString(ref reader, errors, "userId", maxLength: 256, required: false);
                    break;
                case 2:
                    eventListSeen = reader.TokenType != JsonTokenType.Null;
                    events = EventListReader.Read(ref reader, utf8Body, errors, now, _limits.MaxEventsPerRequest);
                    break;
                case 3:
                    conversionsSeen = reader.TokenType != JsonTokenType.Null;
                    reader.Skip();
                    break;
                default:
                    errors.Add(name, "unknown field; expected sessionId, userId, eventList or experimentConversions");
                    reader.Skip();
                    break;
            }
        }

        // A wrong-typed sessionId already has its own error; only a missing one needs "required".
        if (sessionId is null && !errors.Has("sessionId"))
        {
            errors.Add("sessionId", "required, a string of 1 to 256 characters");
        }

        if (!eventListSeen && !conversionsSeen)
        {
            errors.Add("eventList", $"required, 1 to {_limits.MaxEventsPerRequest} events");
        }
        else if (eventListSeen && events is { Count: 0 } && !conversionsSeen)
        {
            errors.Add("eventList", $"must hold 1 to {_limits.MaxEventsPerRequest} events, got none");
        }

        if (errors.Count > 0)
        {
            return EventsParseResult.Invalid(errors.ToList());
        }

        JsonElement? conversionsBody = null;
        if (conversionsSeen)
        {
            var bodyReader = new Utf8JsonReader(utf8Body);
            conversionsBody = JsonElement.ParseValue(ref bodyReader);
        }

        return EventsParseResult.Valid(new EventsRequest
        {
            SessionId = sessionId!,
            UserId = userId,
            EventList = (IReadOnlyList<EventData>?)events ?? [],
            ExperimentConversionsBody = conversionsBody,
        });
    }

    private const int MaxDepth = 64;

    private static readonly string[] TopLevelNames = ["sessionId", "userId", "eventList", "experimentConversions"];

    private static int TopLevelField(ref Utf8JsonReader reader) =>
        reader.ValueTextEquals("sessionId"u8) ? 0
        : reader.ValueTextEquals("userId"u8) ? 1
        : reader.ValueTextEquals("eventList"u8) ? 2
        : reader.ValueTextEquals("experimentConversions"u8) ? 3
        : -1;
}
