using System.Buffers;
using System.Security.Cryptography;
using System.Text.Json;
using Personalization.Grains.Recommenders;

namespace Personalization.Grains.Recommendations;

/// <summary>
/// Writes a recommendation response once, as UTF-8 bytes, in the personalization-apis shape:
/// <c>{itemList|personalizedRanking:[{itemId, score?, promotionName?, reason?, metadata?}], recommendationId, matchedExperiment?}</c>.
/// Item metadata is spliced in as the raw JSON the catalog holds, optionally projected to some fields.
/// </summary>
public static class ResponseSerializer
{
    public static byte[] Serialize(
        RecommenderResult result,
        bool personalizedRanking,
        int maxItems,
        ReadOnlySpan<ReadOnlyMemory<byte>> metadata,
        IReadOnlySet<string>? fields,
        Action<Utf8JsonWriter>? writeMatchedExperiment)
    {
        var buffer = new ArrayBufferWriter<byte>(256 + (result.Items.Count * 64));
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { SkipValidation = false }))
        {
            writer.WriteStartObject();
            writer.WriteStartArray(personalizedRanking ? "personalizedRanking" : "itemList");
            var count = Math.Min(maxItems, result.Items.Count);
            for (var i = 0; i < count; i++)
            {
                var item = result.Items[i];
                writer.WriteStartObject();
                writer.WriteString("itemId", item.ItemId);
                if (item.Score is { } score)
                {
                    writer.WriteNumber("score", score);
                }

                if (item.PromotionName is { } promotion)
                {
                    writer.WriteString("promotionName", promotion);
                }

                if (item.Reason is { Count: > 0 } reasons)
                {
                    writer.WriteStartArray("reason");
                    foreach (var reason in reasons)
                    {
                        writer.WriteStringValue(reason);
                    }

                    writer.WriteEndArray();
                }

                if (i < metadata.Length && !metadata[i].IsEmpty)
                {
                    writer.WritePropertyName("metadata");
                    WriteMetadata(writer, metadata[i].Span, fields);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            if (result.RecommendationId is { } recommendationId)
            {
                writer.WriteString("recommendationId", recommendationId);
            }

            writeMatchedExperiment?.Invoke(writer);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>A strong validator derived from the bytes: equal bodies, equal tags; any change, a new tag.</summary>
    public static string StrongETag(ReadOnlySpan<byte> body)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(body, hash);
        return "\"" + Convert.ToBase64String(hash[..15]).Replace('+', '-').Replace('/', '_') + "\"";
    }

    private static void WriteMetadata(Utf8JsonWriter writer, ReadOnlySpan<byte> json, IReadOnlySet<string>? fields)
    {
        if (fields is null)
        {
            writer.WriteRawValue(json, skipInputValidation: true);
            return;
        }

        using var document = JsonDocument.Parse(json.ToArray());
        writer.WriteStartObject();
        foreach (var property in document.RootElement.EnumerateObject())
        {
            if (fields.Contains(property.Name))
            {
                property.WriteTo(writer);
            }
        }

        writer.WriteEndObject();
    }
}
