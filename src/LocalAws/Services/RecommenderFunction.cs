using System.Text.Json;
using Personalization.Aws.Personalize.Runtime;

namespace Personalization.LocalAws.Services;

/// <summary>
/// The default code behind every local Lambda function and SageMaker endpoint: a custom recommender speaking the
/// personalization-apis payload (<c>{version, action, recommender, variation, userId, itemId, numResults, itemList,
/// context}</c>) and answering in the Personalize shape from the deterministic recommender, so tests can compute the
/// expected items. A post-processor payload (one with <c>response</c>) gets its response back unchanged.
/// </summary>
public sealed class RecommenderFunction(DeterministicRecommender defaults)
{
    private static PersonalizeRuntimeJsonContext Json => PersonalizeRuntimeJsonContext.Default;

    /// <summary>The answer's bytes; <see cref="FormatException"/> when the payload is not such an object.</summary>
    public byte[] Answer(ReadOnlyMemory<byte> payload)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(payload);
        }
        catch (JsonException e)
        {
            throw new FormatException("the payload is not JSON: " + e.Message, e);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException("the payload is not a JSON object.");
            }

            if (root.TryGetProperty("response", out var response))
            {
                return JsonSerializer.SerializeToUtf8Bytes(response);
            }

            var action = String(root, "action");
            var userId = String(root, "userId");
            if (action == "rerank-items")
            {
                var input = root.TryGetProperty("itemList", out var list) && list.ValueKind == JsonValueKind.Array
                    ? list.EnumerateArray().Select(e => e.GetString() ?? string.Empty).ToList()
                    : throw new FormatException("rerank-items needs an itemList array.");
                return JsonSerializer.SerializeToUtf8Bytes(defaults.Rank(new GetPersonalizedRankingRequest { UserId = userId ?? string.Empty, InputList = input }), Json.GetPersonalizedRankingResponse);
            }

            var numResults = root.TryGetProperty("numResults", out var n) && n.TryGetInt32(out var count) ? count : 25;
            var recommendations = defaults.Recommend(new GetRecommendationsRequest { UserId = userId, ItemId = String(root, "itemId"), NumResults = numResults });
            return JsonSerializer.SerializeToUtf8Bytes(recommendations, Json.GetRecommendationsResponse);
        }
    }

    private static string? String(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text ? text : null;
}
