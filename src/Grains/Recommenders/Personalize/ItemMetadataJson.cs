using System.Buffers;
using System.Text.Json;

namespace Personalization.Grains.Recommenders.Personalize;

/// <summary>Personalize returns item metadata as string → string; the API serves it as a JSON object.</summary>
public static class ItemMetadataJson
{
    public static ReadOnlyMemory<byte> ToUtf8Json(IReadOnlyDictionary<string, string>? metadata)
    {
        if (metadata is not { Count: > 0 })
        {
            return ReadOnlyMemory<byte>.Empty;
        }

        var buffer = new ArrayBufferWriter<byte>(64 * metadata.Count);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var (name, value) in metadata)
            {
                writer.WriteString(name, value);
            }

            writer.WriteEndObject();
        }

        return buffer.WrittenMemory;
    }
}
