using System.Text.Json;

namespace Personalization.Grains.Recommenders.Http;

/// <summary>Reads the Personalize response shape {itemList:[{itemId, score?, promotionName?, metadata?}], recommendationId?}.</summary>
public static class HttpRecommenderResponse
{
    public static RecommenderResult Parse(ReadOnlyMemory<byte> utf8)
    {
        using var document = JsonDocument.Parse(utf8);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("itemList", out var list) || list.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException("the response is not an object with an itemList array.");
        }

        var items = new RecommendedItem[list.GetArrayLength()];
        var index = 0;
        foreach (var element in list.EnumerateArray())
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty("itemId", out var id) || id.ValueKind != JsonValueKind.String || id.GetString() is not { Length: > 0 } itemId)
            {
                throw new FormatException($"itemList[{index}] has no itemId string.");
            }

            double? score = element.TryGetProperty("score", out var s) && s.ValueKind == JsonValueKind.Number ? s.GetDouble() : null;
            var promotion = element.TryGetProperty("promotionName", out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;
            var metadata = element.TryGetProperty("metadata", out var m) && m.ValueKind == JsonValueKind.Object
                ? JsonSerializer.SerializeToUtf8Bytes(m)
                : ReadOnlyMemory<byte>.Empty;
            items[index++] = new RecommendedItem(itemId, score, promotion, null, metadata);
        }

        var recommendationId = root.TryGetProperty("recommendationId", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString() : null;
        return new RecommenderResult(items, recommendationId);
    }
}
