using System.Text.Json.Serialization;
using Personalization.Api.Errors;

namespace Personalization.Api;

/// <summary>Source-generated JSON metadata for the API's own bodies, so no reflection runs per request.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ApiError))]
internal sealed partial class ApiJsonContext : JsonSerializerContext;
