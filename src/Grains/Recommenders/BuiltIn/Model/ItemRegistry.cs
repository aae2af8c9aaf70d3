using System.Collections.Concurrent;
using Personalization.Grains.Catalog;

namespace Personalization.Grains.Recommenders.BuiltIn.Model;

/// <summary>Interns item ids to dense indices. Append-only: readers take <see cref="Snapshot"/> and never lock.</summary>
internal sealed class ItemRegistry
{
    private readonly ConcurrentDictionary<string, ItemState> _byId = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private ItemState[] _items = new ItemState[1024];
    private volatile int _count;
    private volatile ItemCatalog _catalog;

    public ItemRegistry(ItemCatalog catalog)
    {
        _catalog = catalog;
        foreach (var item in catalog.Items)
        {
            GetOrAdd(item.Id);
        }
    }

    public int Count => _count;

    public ItemCatalog Catalog => _catalog;

    /// <summary>The states with index below <see cref="Count"/> at the time of the call.</summary>
    public ReadOnlySpan<ItemState> Snapshot()
    {
        var count = _count;
        return Volatile.Read(ref _items).AsSpan(0, count);
    }

    public ItemState this[int index] => Volatile.Read(ref _items)[index];

    public ItemState? Find(string id) => _byId.GetValueOrDefault(id);

    public ItemState GetOrAdd(string id)
    {
        if (_byId.TryGetValue(id, out var existing))
        {
            return existing;
        }

        lock (_gate)
        {
            if (_byId.TryGetValue(id, out existing))
            {
                return existing;
            }

            var state = new ItemState(_count, id, _catalog.Find(id));
            if (_count == _items.Length)
            {
                var grown = new ItemState[_items.Length * 2];
                _items.CopyTo(grown, 0);
                Volatile.Write(ref _items, grown);
            }

            _items[_count] = state;
            _count++;
            _byId[id] = state;
            return state;
        }
    }

    public void ReplaceCatalog(ItemCatalog catalog)
    {
        _catalog = catalog;
        foreach (var item in catalog.Items)
        {
            GetOrAdd(item.Id);
        }

        foreach (var state in Snapshot())
        {
            state.CatalogItem = catalog.Find(state.Id);
        }
    }
}
