using System.Text.Json.Serialization;

namespace Personalization.Aws.Personalize.Runtime;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(GetRecommendationsRequest))]
[JsonSerializable(typeof(GetRecommendationsResponse))]
[JsonSerializable(typeof(GetPersonalizedRankingRequest))]
[JsonSerializable(typeof(GetPersonalizedRankingResponse))]
[JsonSerializable(typeof(GetActionRecommendationsRequest))]
[JsonSerializable(typeof(GetActionRecommendationsResponse))]
public sealed partial class PersonalizeRuntimeJsonContext : JsonSerializerContext;
