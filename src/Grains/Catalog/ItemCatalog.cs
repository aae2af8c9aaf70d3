using System.Collections.Frozen;

namespace Personalization.Grains.Catalog;

/// <summary>An immutable id → item map; replace the whole instance to update it.</summary>
public sealed class ItemCatalog
{
    public static ItemCatalog Empty { get; } = new([]);

    private readonly FrozenDictionary<string, CatalogItem> _items;
    private readonly CatalogItem[] _ordered;

    public ItemCatalog(IEnumerable<CatalogItem> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        var byId = new Dictionary<string, CatalogItem>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            byId[item.Id] = item;
        }

        _items = byId.ToFrozenDictionary(StringComparer.Ordinal);
        _ordered = [.. byId.Values];
    }

    public int Count => _items.Count;

    /// <summary>In input order (later duplicates replace earlier ones in place).</summary>
    public IReadOnlyList<CatalogItem> Items => _ordered;

    public bool TryGet(string id, out CatalogItem item) => _items.TryGetValue(id, out item!);

    public CatalogItem? Find(string id) => _items.GetValueOrDefault(id);
}
