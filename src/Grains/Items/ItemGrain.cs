using Personalization.Grains.Catalog;

namespace Personalization.Grains.Items;

/// <summary>
/// One item's metadata from the namespace's catalog. Item metadata is read-mostly and every silo holds the catalog,
/// so the grain is a stateless worker: a call is always served on the calling silo, from that silo's replica, never
/// remotely. Decorating a response reads the same replica directly (<see cref="Recommendations.RecommendationPipeline"/>)
/// rather than making a call per item.
/// </summary>
[StatelessWorker]
public sealed class ItemGrain(CatalogStore catalogs) : Grain, IItemGrain
{
    public static string Key(string ns, string itemId) => ns + "/" + itemId;

    public ValueTask<ItemMetadata> GetMetadataAsync()
    {
        var key = this.GetPrimaryKeyString();
        var separator = key.IndexOf('/', StringComparison.Ordinal);
        if (separator <= 0 || catalogs.Get(key[..separator]) is not { } catalog)
        {
            return ValueTask.FromResult(ItemMetadata.Missing);
        }

        return ValueTask.FromResult(catalog.Items.TryGet(key[(separator + 1)..], out var item)
            ? new ItemMetadata(item.MetadataJson, catalog.Version)
            : new ItemMetadata(ReadOnlyMemory<byte>.Empty, catalog.Version));
    }
}
