using System.Buffers;
using System.Collections.Frozen;
using System.Text;
using System.Text.Json;

namespace Personalization.Grains.Catalog;

/// <summary>Reads a JSON Lines catalog (optionally gzip): one object per line with a string <c>id</c>.</summary>
public static class CatalogReader
{
    public static async Task<CatalogLoadResult> LoadAsync(string path, CancellationToken cancellationToken)
    {
        await using var stream = DataFileStreams.OpenRead(path);
        return await ReadAsync(stream, cancellationToken).ConfigureAwait(false);
    }

    public static async Task<CatalogLoadResult> ReadAsync(Stream stream, CancellationToken cancellationToken)
    {
        var items = new List<CatalogItem>();
        var errors = new List<DataFileError>();
        var firstLineById = new Dictionary<string, long>(StringComparer.Ordinal);
        await foreach (var line in ReadLinesAsync(stream, cancellationToken).ConfigureAwait(false))
        {
            if (line.Item is not { } item)
            {
                errors.Add(line.Error!.Value);
            }
            else if (!firstLineById.TryAdd(item.Id, line.LineNumber))
            {
                errors.Add(DuplicateId(line.LineNumber, item.Id, firstLineById[item.Id]));
            }
            else
            {
                items.Add(item);
            }
        }

        return new CatalogLoadResult(new ItemCatalog(items), errors);
    }

    /// <summary>The second occurrence of an id: reported, and the first one kept.</summary>
    public static DataFileError DuplicateId(long lineNumber, string id, long firstLine) =>
        new(lineNumber, $"duplicate id \"{id}\" (first on line {firstLine}); this line is ignored");

    /// <summary>Each non-blank line of a JSON Lines catalog (gzip recognised), parsed or with the reason it is bad.</summary>
    public static async IAsyncEnumerable<CatalogLine> ReadLinesAsync(Stream stream, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(DataFileStreams.Decompressing(stream), Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16, leaveOpen: true);
        var buffer = new ArrayBufferWriter<byte>(1024);
        long lineNumber = 0;
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            var item = ParseLine(line, buffer, out var error);
            yield return item is null ? new CatalogLine(lineNumber, null, new DataFileError(lineNumber, error!)) : new CatalogLine(lineNumber, item, null);
        }
    }

    internal static CatalogItem? ParseLine(string line, ArrayBufferWriter<byte> buffer, out string? error)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line);
        }
        catch (JsonException exception)
        {
            error = $"invalid JSON: {exception.Message}";
            return null;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                error = $"expected a JSON object, found {root.ValueKind}";
                return null;
            }

            if (!root.TryGetProperty("id", out var idElement) || idElement.ValueKind != JsonValueKind.String || string.IsNullOrEmpty(idElement.GetString()))
            {
                error = "missing a non-empty string \"id\"";
                return null;
            }

            buffer.ResetWrittenCount();
            var fields = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase);
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStartObject();
                foreach (var property in root.EnumerateObject())
                {
                    if (property.NameEquals("id"))
                    {
                        continue;
                    }

                    property.WriteTo(writer);
                    if (FieldValues(property.Value) is { } values)
                    {
                        fields[property.Name] = values;
                    }
                }

                writer.WriteEndObject();
            }

            error = null;
            return new CatalogItem(idElement.GetString()!, buffer.WrittenSpan.ToArray(), fields.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase));
        }
    }

    // Nested objects are kept in the metadata but are not addressable by filters.
    private static string[]? FieldValues(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Array => value.EnumerateArray().Select(Scalar).OfType<string>().ToArray(),
        _ => Scalar(value) is { } scalar ? [scalar] : null,
    };

    private static string? Scalar(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => null,
    };
}
