using System.Net;
using System.Text.Json;

namespace Personalization.Api.Tests.Cluster;

/// <summary>A response read whole, with the headers these tests look at in their raw (unnormalised) form.</summary>
public sealed class ApiResponse
{
    public const string ConfigVersionHeader = "X-Personalization-Config-Version";

    private JsonElement? _json;

    private ApiResponse(HttpResponseMessage message, string body)
    {
        Status = message.StatusCode;
        Body = body;
        Headers = message.Headers.NonValidated.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        foreach (var header in message.Content.Headers.NonValidated)
        {
            Headers[header.Key] = header.Value.ToString();
        }
    }

    public HttpStatusCode Status { get; }

    public string Body { get; }

    public Dictionary<string, string> Headers { get; }

    public string? ETag => Headers.GetValueOrDefault("ETag");

    public string? CacheControl => Headers.GetValueOrDefault("Cache-Control");

    public string? ConfigVersion => Headers.GetValueOrDefault(ConfigVersionHeader);

    public string? ContentType => Headers.GetValueOrDefault("Content-Type");

    public JsonElement Json => _json ??= JsonDocument.Parse(Body).RootElement.Clone();

    /// <summary>The item ids of an itemList or personalizedRanking body, in order.</summary>
    public IReadOnlyList<string> ItemIds =>
        (Json.TryGetProperty("itemList", out var list) ? list : Json.GetProperty("personalizedRanking"))
            .EnumerateArray().Select(i => i.GetProperty("itemId").GetString()!).ToList();

    public IReadOnlyList<JsonElement> Items =>
        (Json.TryGetProperty("itemList", out var list) ? list : Json.GetProperty("personalizedRanking")).EnumerateArray().ToList();

    public static async Task<ApiResponse> ReadAsync(HttpResponseMessage message)
    {
        using (message)
        {
            return new ApiResponse(message, await message.Content.ReadAsStringAsync());
        }
    }

    public override string ToString() => $"{(int)Status} {Body}";
}
