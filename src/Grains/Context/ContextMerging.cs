using System.Text;
using System.Text.Json.Nodes;

namespace Personalization.Grains.Context;

/// <summary>How resolved automatic context is merged into what the client sent.</summary>
public static class ContextMerging
{
    /// <summary>
    /// The inference `context`: the client's keys win; each resolved field not sent by the client adds its
    /// first value, as a string (Personalize context values are strings).
    /// </summary>
    public static IReadOnlyDictionary<string, string> InferenceContext(IReadOnlyDictionary<string, string>? clientContext, ResolvedContext resolved)
    {
        if (resolved.IsEmpty)
        {
            return clientContext ?? new Dictionary<string, string>();
        }

        var merged = clientContext is null
            ? new Dictionary<string, string>(StringComparer.Ordinal)
            : new Dictionary<string, string>(clientContext, StringComparer.Ordinal);
        foreach (var field in resolved.Fields)
        {
            merged.TryAdd(field.Name, field.First);
        }

        return merged;
    }

    /// <summary>
    /// A repeated key is refused while parsing: JsonObject would throw on it only later, at the first lookup. The events
    /// parser has already answered 400 to such properties; anything else that reaches here stays as it was sent.
    /// </summary>
    private static readonly System.Text.Json.JsonDocumentOptions NoDuplicateKeys = new() { AllowDuplicateProperties = false };

    /// <summary>
    /// An event's `properties` JSON string with resolved fields added where the event has none: string fields
    /// as all values joined by '|', numeric fields as the first value as a JSON number. Properties that are not
    /// a JSON object (or repeat a key) are returned unchanged rather than overwritten.
    /// </summary>
    public static string? EventProperties(string? properties, ResolvedContext resolved)
    {
        if (resolved.IsEmpty)
        {
            return properties;
        }

        JsonObject obj;
        if (string.IsNullOrWhiteSpace(properties))
        {
            obj = [];
        }
        else
        {
            try
            {
                if (JsonNode.Parse(properties, documentOptions: NoDuplicateKeys) is not JsonObject parsed)
                {
                    return properties;
                }

                obj = parsed;
            }
            catch (System.Text.Json.JsonException)
            {
                return properties;
            }
        }

        foreach (var field in resolved.Fields)
        {
            if (obj.ContainsKey(field.Name))
            {
                continue;
            }

            obj[field.Name] = field.Type == AutoContextFieldType.String
                ? JsonValue.Create(string.Join('|', field.Values))
                : JsonNode.Parse(field.First);
        }

        return obj.ToJsonString();
    }

    /// <summary>
    /// Dynamic filter values from auto rules, as Personalize expects them: string parameters become a quoted,
    /// comma-separated list ("a","b"); numeric ones their first value. Values the client sent win.
    /// </summary>
    public static IReadOnlyDictionary<string, string> FilterValues(IReadOnlyDictionary<string, string>? clientValues, ResolvedContext resolved)
    {
        if (resolved.IsEmpty)
        {
            return clientValues ?? new Dictionary<string, string>();
        }

        var merged = clientValues is null
            ? new Dictionary<string, string>(StringComparer.Ordinal)
            : new Dictionary<string, string>(clientValues, StringComparer.Ordinal);
        foreach (var field in resolved.Fields)
        {
            merged.TryAdd(field.Name, field.Type == AutoContextFieldType.String ? QuotedList(field.Values) : field.First);
        }

        return merged;
    }

    public static string QuotedList(IReadOnlyList<string> values)
    {
        var builder = new StringBuilder();
        foreach (var value in values)
        {
            if (builder.Length > 0)
            {
                builder.Append(',');
            }

            builder.Append('"').Append(value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)).Append('"');
        }

        return builder.ToString();
    }
}
