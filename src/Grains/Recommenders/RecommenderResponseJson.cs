using System.Text.Json;

namespace Personalization.Grains.Recommenders;

/// <summary>
/// Reads the Personalize response shape that http, lambda and sagemaker recommenders and post-processors answer with:
/// <c>{itemList|personalizedRanking:[{itemId, score?, promotionName?, reason?, metadata?}], recommendationId?}</c>.
/// </summary>
public static class RecommenderResponseJson
{
    /// <summary>The answer's items; for rerank <c>personalizedRanking</c> is read, or <c>itemList</c> when that is what came back.</summary>
    /// <exception cref="JsonException">The body is not JSON.</exception>
    /// <exception cref="FormatException">The JSON is not the response shape.</exception>
    public static RecommenderResult Parse(ReadOnlyMemory<byte> utf8, bool personalizedRanking = false)
    {
        using var document = JsonDocument.Parse(utf8);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"the response is {root.ValueKind}, not an object with an itemList array.");
        }

        var listName = personalizedRanking && root.TryGetProperty("personalizedRanking", out _) ? "personalizedRanking" : "itemList";
        if (!root.TryGetProperty(listName, out var list) || list.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException(personalizedRanking
                ? "the response is not an object with a personalizedRanking (or itemList) array."
                : "the response is not an object with an itemList array.");
        }

        var items = new RecommendedItem[list.GetArrayLength()];
        var index = 0;
        foreach (var element in list.EnumerateArray())
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty("itemId", out var id) || id.ValueKind != JsonValueKind.String || id.GetString() is not { Length: > 0 } itemId)
            {
                throw new FormatException($"{listName}[{index}] has no itemId string.");
            }

            double? score = element.TryGetProperty("score", out var s) && s.ValueKind == JsonValueKind.Number ? s.GetDouble() : null;
            var promotion = element.TryGetProperty("promotionName", out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;
            var reason = element.TryGetProperty("reason", out var r) && r.ValueKind == JsonValueKind.Array
                ? r.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!).ToArray()
                : null;
            var metadata = element.TryGetProperty("metadata", out var m) && m.ValueKind == JsonValueKind.Object
                ? JsonSerializer.SerializeToUtf8Bytes(m)
                : ReadOnlyMemory<byte>.Empty;
            items[index++] = new RecommendedItem(itemId, score, promotion, reason is { Length: > 0 } ? reason : null, metadata);
        }

        var recommendationId = root.TryGetProperty("recommendationId", out var rid) && rid.ValueKind == JsonValueKind.String ? rid.GetString() : null;
        return new RecommenderResult(items, recommendationId);
    }
}
