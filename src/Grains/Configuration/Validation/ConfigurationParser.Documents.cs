using System.Buffers;
using System.Text.Json;

namespace Personalization.Grains.Configuration;

public static partial class ConfigurationParser
{
    /// <summary>The keys a level inherits from its parent when it does not set them, as the original's inherit_config.</summary>
    private static readonly string[] InheritedKeys = ["autoContext", "filters", "cacheControl", "inferenceItemMetadata"];

    private static readonly IReadOnlyDictionary<string, string> NoDocuments = new Dictionary<string, string>();

    /// <summary>The parent's inherited objects, with those this level sets replaced by its own (compact JSON).</summary>
    private static IReadOnlyDictionary<string, string> InheritedDocuments(JsonElement element, IReadOnlyDictionary<string, string> parent)
    {
        if (element.ValueKind != JsonValueKind.Object || !InheritedKeys.Any(key => DocumentReader.TryGet(element, key, out _)))
        {
            return parent;
        }

        var documents = new Dictionary<string, string>(parent, StringComparer.Ordinal);
        foreach (var key in InheritedKeys)
        {
            if (DocumentReader.TryGet(element, key, out var value))
            {
                documents[key] = JsonSerializer.Serialize(value);
            }
        }

        return documents;
    }

    /// <summary>
    /// A recommender's or variation's object as configured (compact), with the inherited keys it does not set filled in
    /// from its parents: what personalization-apis hands a custom recommender as <c>recommender.config</c> and <c>variation</c>.
    /// </summary>
    private static string WithInherited(JsonElement element, IReadOnlyDictionary<string, string> inherited)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var property in element.EnumerateObject())
            {
                property.WriteTo(writer);
            }

            foreach (var key in InheritedKeys)
            {
                if (!element.TryGetProperty(key, out _) && inherited.TryGetValue(key, out var json))
                {
                    writer.WritePropertyName(key);
                    writer.WriteRawValue(json, skipInputValidation: true);
                }
            }

            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
