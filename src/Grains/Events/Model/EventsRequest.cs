using System.Text.Json;

namespace Personalization.Grains.Events;

/// <summary>
/// A validated <c>POST /events/{namespace}</c> body: PutEvents without <c>trackingId</c>, plus the pass-through
/// <c>experimentConversions</c>.
/// </summary>
public sealed class EventsRequest
{
    public required string SessionId { get; init; }

    public string? UserId { get; init; }

    /// <summary>Empty only for a conversions-only request (the original skipped PutEvents then).</summary>
    public required IReadOnlyList<EventData> EventList { get; init; }

    /// <summary>
    /// The whole body as a <see cref="JsonElement"/>, present only when it carries <c>experimentConversions</c>;
    /// hand it to <c>ExperimentConversionResolver.Resolve</c>, which reads both the conversions and <c>userId</c>.
    /// </summary>
    public JsonElement? ExperimentConversionsBody { get; init; }
}
