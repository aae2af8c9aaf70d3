using System.Text.Json.Serialization;
using Personalization.Aws.Json;

namespace Personalization.Aws.Personalize.Events;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, Converters = [typeof(EpochSecondsConverter)])]
[JsonSerializable(typeof(PutEventsRequest))]
[JsonSerializable(typeof(PutItemsRequest))]
[JsonSerializable(typeof(PutUsersRequest))]
[JsonSerializable(typeof(PutActionInteractionsRequest))]
public sealed partial class PersonalizeEventsJsonContext : JsonSerializerContext;
