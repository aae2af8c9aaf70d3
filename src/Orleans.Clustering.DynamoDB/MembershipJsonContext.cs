using System.Text.Json.Serialization;

namespace Personalization.Orleans.Clustering.DynamoDB;

/// <summary>Source-generated JSON for the stored entries: no reflection, and the same bytes for the same entry.</summary>
[JsonSourceGenerationOptions(UseStringEnumConverter = true, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(MembershipEntryDocument))]
internal sealed partial class MembershipJsonContext : JsonSerializerContext;
