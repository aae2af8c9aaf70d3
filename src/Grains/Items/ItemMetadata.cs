namespace Personalization.Grains.Items;

/// <summary>An item's metadata JSON as held by the catalog (shared, never changed), and the catalog version it came from.</summary>
[GenerateSerializer, Immutable, Alias("personalization.ItemMetadata")]
public sealed record ItemMetadata(ReadOnlyMemory<byte> Json, long CatalogVersion)
{
    public static readonly ItemMetadata Missing = new(ReadOnlyMemory<byte>.Empty, -1);
}
