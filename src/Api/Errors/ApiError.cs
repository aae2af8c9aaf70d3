using System.Text.Json.Serialization;

namespace Personalization.Api.Errors;

/// <summary>The error body every endpoint returns, as personalization-apis does: <c>{type, code, message}</c>.</summary>
public sealed record ApiError(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("code")] string Code,
    [property: JsonPropertyName("message")] string Message);

/// <summary>The error classes of the original API (spec §1), plus those this service adds.</summary>
public static class ErrorTypes
{
    public const string Validation = "Validation";
    public const string Configuration = "Configuration";
    public const string Personalize = "Personalize";
    public const string Backend = "Backend";
    public const string Unhandled = "Unhandled";
    public const string Authentication = "Authentication";
    public const string Authorization = "Authorization";
    public const string RateLimit = "RateLimit";
}
