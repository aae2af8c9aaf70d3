namespace Personalization.Grains.Items;

/// <summary>One catalog item of a namespace, keyed <c>{namespace}/{itemId}</c>: the metadata used to decorate responses.</summary>
[Alias("personalization.IItemGrain")]
public interface IItemGrain : IGrainWithStringKey
{
    /// <summary>The item's metadata as raw JSON, or empty when the catalog does not hold the item.</summary>
    [ReadOnly, Alias("GetMetadata")]
    ValueTask<ItemMetadata> GetMetadataAsync();
}
