using Personalization.Grains.Catalog;
using Personalization.Runtime;

namespace Personalization.Grains.Items;

/// <summary>
/// Holds one item's metadata from the namespace's catalog. Item metadata is read-mostly and held on every silo;
/// a reloaded catalog has a new version, and the grain picks the new metadata up on its next call.
/// </summary>
[GrainType("item")]
public sealed class ItemGrain(CatalogStore catalogs) : Grain, IItemGrain
{
    private string _namespace = string.Empty;
    private string _itemId = string.Empty;
    private long _version = -1;
    private ReadOnlyMemory<byte> _metadata;

    public static string Key(string ns, string itemId) => ns + "/" + itemId;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var key = GetPrimaryKeyString();
        var separator = key.IndexOf('/', StringComparison.Ordinal);
        _namespace = key[..separator];
        _itemId = key[(separator + 1)..];
        return Task.CompletedTask;
    }

    public ValueTask<ReadOnlyMemory<byte>> GetMetadataAsync()
    {
        if (catalogs.Get(_namespace) is not { } catalog)
        {
            return ValueTask.FromResult(ReadOnlyMemory<byte>.Empty);
        }

        // Read-only calls may run together; a refresh from the same catalog writes the same values, so a race is harmless.
        if (catalog.Version != Volatile.Read(ref _version))
        {
            _metadata = catalog.Items.TryGet(_itemId, out var item) ? item.MetadataJson : ReadOnlyMemory<byte>.Empty;
            Volatile.Write(ref _version, catalog.Version);
        }

        return ValueTask.FromResult(_metadata);
    }
}
