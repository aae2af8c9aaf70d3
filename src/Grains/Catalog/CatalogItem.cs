using System.Collections.Frozen;

namespace Personalization.Grains.Catalog;

/// <summary>One catalog entry: its metadata as UTF-8 JSON (for decoration without re-serialising) plus
/// its scalar and string-array fields indexed for filters and categories.</summary>
public sealed class CatalogItem
{
    private static readonly FrozenDictionary<string, string[]> NoFields =
        FrozenDictionary.ToFrozenDictionary(Array.Empty<KeyValuePair<string, string[]>>(), StringComparer.OrdinalIgnoreCase);

    public CatalogItem(string id, ReadOnlyMemory<byte> metadataJson, FrozenDictionary<string, string[]>? fields)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        Id = id;
        MetadataJson = metadataJson;
        Fields = fields ?? NoFields;
    }

    public string Id { get; }

    /// <summary>The catalog object without its <c>id</c> property, as UTF-8 JSON.</summary>
    public ReadOnlyMemory<byte> MetadataJson { get; }

    /// <summary>Field name (case-insensitive) → its string, number or boolean values rendered as strings.</summary>
    public FrozenDictionary<string, string[]> Fields { get; }

    public IReadOnlyList<string> GetField(string name) =>
        Fields.TryGetValue(name, out var values) ? values : [];
}
