using System.Globalization;
using System.Text.Json;
using Amazon.DynamoDBv2.Model;

namespace Personalization.Catalog.Aws;

/// <summary>
/// The item shape of the original's loader: <c>{id, version, put_via: "bulk", attributes: {the line without id}}</c>,
/// and conversions between JSON and DynamoDB attribute values.
/// </summary>
public static class ItemAttributes
{
    public const string Id = "id";
    public const string Version = "version";
    public const string PutVia = "put_via";
    public const string Attributes = "attributes";

    /// <summary>DynamoDB's item size limit, counted here on the JSON (a close upper bound of the stored size).</summary>
    public const int MaxItemBytes = 400 * 1024;

    /// <summary>The stored item for a catalog line; throws <see cref="FormatException"/> for values DynamoDB cannot hold.</summary>
    public static Dictionary<string, AttributeValue> ToItem(string id, ReadOnlyMemory<byte> metadataJson, string version)
    {
        if (metadataJson.Length > MaxItemBytes)
        {
            throw new FormatException($"item \"{id}\" is {metadataJson.Length} bytes; a DynamoDB item holds at most 400 KB");
        }

        using var document = JsonDocument.Parse(metadataJson);
        return new Dictionary<string, AttributeValue>(StringComparer.Ordinal)
        {
            [Id] = new() { S = id },
            [Version] = new() { S = version },
            [PutVia] = new() { S = "bulk" },
            [Attributes] = FromJson(document.RootElement, "attributes"),
        };
    }

    /// <summary>The metadata JSON of a stored item: its <c>attributes</c> map, or (for items written by other tools) its other attributes.</summary>
    public static byte[] ToMetadataJson(Dictionary<string, AttributeValue> item)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            if (item.TryGetValue(Attributes, out var attributes) && attributes.M is { } map)
            {
                WriteMap(writer, map);
            }
            else
            {
                WriteMap(writer, item.Where(a => a.Key is not (Id or Version or PutVia)));
            }
        }

        return buffer.ToArray();
    }

    public static AttributeValue FromJson(JsonElement value, string path) => value.ValueKind switch
    {
        JsonValueKind.String => new AttributeValue { S = value.GetString() },
        JsonValueKind.Number => new AttributeValue { N = CheckNumber(value.GetRawText(), path) },
        JsonValueKind.True => new AttributeValue { BOOL = true },
        JsonValueKind.False => new AttributeValue { BOOL = false },
        JsonValueKind.Null => new AttributeValue { NULL = true },
        JsonValueKind.Array => new AttributeValue { L = [.. value.EnumerateArray().Select((e, i) => FromJson(e, $"{path}[{i}]"))] },
        JsonValueKind.Object => new AttributeValue { M = value.EnumerateObject().ToDictionary(p => p.Name, p => FromJson(p.Value, $"{path}.{p.Name}"), StringComparer.Ordinal) },
        _ => throw new FormatException($"{path}: unsupported JSON value {value.ValueKind}"),
    };

    /// <summary>DynamoDB numbers: at most 38 significant digits, magnitude 1E-130 to 9.99E+125.</summary>
    private static string CheckNumber(string text, string path)
    {
        var mantissa = text.Split('e', 'E')[0];
        var digits = mantissa.Where(char.IsAsciiDigit).SkipWhile(c => c == '0').Reverse().SkipWhile(c => c == '0').Count();
        var magnitude = Math.Abs(double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture));
        if (digits > 38 || double.IsInfinity(magnitude) || (magnitude != 0 && (magnitude < 1e-130 || magnitude >= 1e126)))
        {
            throw new FormatException($"{path}: the number {text} does not fit DynamoDB (38 significant digits, magnitude 1E-130 to 9.99E+125)");
        }

        return text;
    }

    private static void WriteMap(Utf8JsonWriter writer, IEnumerable<KeyValuePair<string, AttributeValue>> map)
    {
        writer.WriteStartObject();
        foreach (var (name, value) in map)
        {
            writer.WritePropertyName(name);
            Write(writer, value);
        }

        writer.WriteEndObject();
    }

    private static void Write(Utf8JsonWriter writer, AttributeValue value)
    {
        if (value.S is { } s)
        {
            writer.WriteStringValue(s);
        }
        else if (value.N is { } n)
        {
            writer.WriteRawValue(n);
        }
        else if (value.BOOL is { } b)
        {
            writer.WriteBooleanValue(b);
        }
        else if (value.M is { } m)
        {
            WriteMap(writer, m);
        }
        else if (value.L is { } l)
        {
            writer.WriteStartArray();
            foreach (var element in l)
            {
                Write(writer, element);
            }

            writer.WriteEndArray();
        }
        else if (value.SS is { } ss)
        {
            writer.WriteStartArray();
            ss.ForEach(writer.WriteStringValue);
            writer.WriteEndArray();
        }
        else if (value.NS is { } ns)
        {
            writer.WriteStartArray();
            ns.ForEach(number => writer.WriteRawValue(number));
            writer.WriteEndArray();
        }
        else if (value.B is { } binary)
        {
            writer.WriteBase64StringValue(binary.ToArray());
        }
        else if (value.BS is { } binaries)
        {
            writer.WriteStartArray();
            binaries.ForEach(item => writer.WriteBase64StringValue(item.ToArray()));
            writer.WriteEndArray();
        }
        else
        {
            writer.WriteNullValue();
        }
    }
}
