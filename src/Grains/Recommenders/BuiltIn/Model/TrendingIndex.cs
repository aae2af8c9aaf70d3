using System.Collections.Concurrent;

namespace Personalization.Grains.Recommenders.BuiltIn.Model;

/// <summary>An immutable popularity ranking taken at one moment, with per-category rankings derived on first use.</summary>
internal sealed class TrendingIndex
{
    private readonly ConcurrentDictionary<string, Dictionary<string, int[]>> _byCategoryField = new(StringComparer.OrdinalIgnoreCase);
    private readonly ItemState[] _items;

    public TrendingIndex(ReadOnlySpan<ItemState> items, long builtAt)
    {
        _items = items.ToArray();
        BuiltAt = builtAt;
        var popularity = new double[_items.Length];
        var order = new int[_items.Length];
        for (var i = 0; i < _items.Length; i++)
        {
            popularity[i] = -_items[i].Popularity;
            order[i] = i;
        }

        // Negated keys sort descending; equal popularity keeps index order (Array.Sort is unstable, so tie-break explicitly).
        Array.Sort(order, (a, b) => popularity[a] != popularity[b] ? popularity[a].CompareTo(popularity[b]) : a.CompareTo(b));
        Order = order;
    }

    public long BuiltAt { get; }

    public int[] Order { get; }

    public int[] ForCategory(string field, string value)
    {
        var byValue = _byCategoryField.GetOrAdd(field, BuildCategory);
        return byValue.TryGetValue(value, out var order) ? order : [];
    }

    private Dictionary<string, int[]> BuildCategory(string field)
    {
        var lists = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        foreach (var item in Order)
        {
            if (_items[item].CatalogItem?.Fields.TryGetValue(field, out var values) != true)
            {
                continue;
            }

            foreach (var value in values!)
            {
                if (!lists.TryGetValue(value, out var list))
                {
                    lists[value] = list = [];
                }

                list.Add(item);
            }
        }

        return lists.ToDictionary(p => p.Key, p => p.Value.ToArray(), StringComparer.Ordinal);
    }
}
