namespace Personalization.Grains.Events;

/// <summary>Either a validated request or every problem found, each with its JSON path. Validation never throws.</summary>
public sealed class EventsParseResult
{
    private EventsParseResult(EventsParseStatus status, EventsRequest? request, IReadOnlyList<EventValidationError> errors)
    {
        Status = status;
        Request = request;
        Errors = errors;
    }

    public EventsParseStatus Status { get; }

    public EventsRequest? Request { get; }

    public IReadOnlyList<EventValidationError> Errors { get; }

    public bool IsValid => Status == EventsParseStatus.Valid;

    internal static EventsParseResult Valid(EventsRequest request) => new(EventsParseStatus.Valid, request, []);

    internal static EventsParseResult Invalid(IReadOnlyList<EventValidationError> errors) => new(EventsParseStatus.Invalid, null, errors);

    internal static EventsParseResult TooLarge(int limit) =>
        new(EventsParseStatus.TooLarge, null, [new EventValidationError("body", $"larger than the limit of {limit} bytes")]);
}
