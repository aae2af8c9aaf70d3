using System.Buffers;
using System.Security.Cryptography;
using System.Text.Json;
using Personalization.Grains.Recommenders;

namespace Personalization.Grains.Recommendations;

/// <summary>
/// Writes a recommendation response once, as UTF-8, in the personalization-apis shape:
/// <c>{itemList|personalizedRanking:[{itemId, score?, promotionName?, reason?, metadata?}], recommendationId, matchedExperiment?}</c>.
/// Item metadata is not copied: the body's segments point at the metadata bytes the catalog holds (unless projected
/// to some fields), so a cached response costs little more than its item IDs.
/// </summary>
public static class ResponseSerializer
{
    // Catalog text ("Home & Kitchen") stays as written; responses are JSON bodies, never embedded in HTML.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static SerializedBody Serialize(
        RecommenderResult result,
        bool personalizedRanking,
        int maxItems,
        ReadOnlySpan<ReadOnlyMemory<byte>> metadata,
        IReadOnlySet<string>? fields,
        Action<Utf8JsonWriter>? writeMatchedExperiment)
    {
        var buffer = new ArrayBufferWriter<byte>(256 + (result.Items.Count * 64));

        // Own bytes are [start, end) ranges of buffer; a shared metadata segment goes where a placeholder was written.
        var pieces = new List<(int Start, int End, ReadOnlyMemory<byte> Shared)>();
        var ownStart = 0;
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
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
                    if (fields is null)
                    {
                        // The writer records a value; its placeholder byte is replaced by the shared segment.
                        writer.Flush();
                        pieces.Add((ownStart, buffer.WrittenCount, metadata[i]));
                        writer.WriteRawValue("0"u8, skipInputValidation: true);
                        writer.Flush();
                        ownStart = buffer.WrittenCount;
                    }
                    else
                    {
                        WriteProjection(writer, metadata[i].Span, fields);
                    }
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

        // One exact-size array holds every own byte; each shared segment goes in at the offset of its placeholder.
        var own = buffer.WrittenSpan;
        var ownBytes = new byte[own.Length - pieces.Count];
        var offsets = new int[pieces.Count];
        var shared = new ReadOnlyMemory<byte>[pieces.Count];
        var copied = 0;
        var tailStart = 0;
        for (var i = 0; i < pieces.Count; i++)
        {
            var (start, end, segment) = pieces[i];
            own[start..end].CopyTo(ownBytes.AsSpan(copied));
            copied += end - start;
            offsets[i] = copied;
            shared[i] = segment;
            tailStart = end + 1;
        }

        own[tailStart..].CopyTo(ownBytes.AsSpan(copied));
        return new SerializedBody(ownBytes, offsets, shared);
    }

    /// <summary>
    /// <paramref name="body"/> with <c>"source":"{source}"</c> as its last property. Only the own bytes are copied
    /// (their last byte is the closing brace); the shared metadata segments are kept.
    /// </summary>
    public static SerializedBody WithSource(SerializedBody body, string source)
    {
        var encoded = JsonEncodedText.Encode(source, WriterOptions.Encoder).EncodedUtf8Bytes;
        var suffix = new byte[",\"source\":\"\"}"u8.Length + encoded.Length];
        ",\"source\":\""u8.CopyTo(suffix);
        encoded.CopyTo(suffix.AsSpan(11));
        "\"}"u8.CopyTo(suffix.AsSpan(11 + encoded.Length));
        return body.WithTail(suffix);
    }

    /// <summary>A strong validator derived from the bytes: equal bodies, equal tags; any change, a new tag.</summary>
    public static string StrongETag(SerializedBody body)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var segment in body.Segments)
        {
            sha.AppendData(segment.Span);
        }

        Span<byte> hash = stackalloc byte[32];
        sha.GetHashAndReset(hash);
        return "\"" + Convert.ToBase64String(hash[..15]).Replace('+', '-').Replace('/', '_') + "\"";
    }

    private static void WriteProjection(Utf8JsonWriter writer, ReadOnlySpan<byte> json, IReadOnlySet<string> fields)
    {
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
