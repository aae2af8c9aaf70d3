using System.Text.Json.Serialization;

namespace Personalization.Grains.Events;

/// <summary>Source-generated JSON for the events response (camelCase, enums as their lower-case names, no nulls).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true)]
[JsonSerializable(typeof(EventsResponse))]
public sealed partial class EventsJsonContext : JsonSerializerContext;
