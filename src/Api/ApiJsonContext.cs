using System.Text.Json;
using System.Text.Json.Serialization;
using Personalization.Api.Errors;

namespace Personalization.Api;

/// <summary>Source-generated JSON metadata for the API's own bodies, so no reflection runs per request.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ApiError))]
[JsonSerializable(typeof(string[]))]
[JsonSerializable(typeof(Endpoints.ConfigStatusReport))]
internal sealed partial class ApiJsonContext : JsonSerializerContext
{
    /// <summary>Messages quote names with apostrophes; keep them readable instead of \u0027.</summary>
    public static ApiJsonContext Readable { get; } = new(new JsonSerializerOptions(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
