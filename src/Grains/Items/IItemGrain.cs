using Personalization.Runtime;

namespace Personalization.Grains.Items;

/// <summary>One catalog item of a namespace, keyed <c>{namespace}/{itemId}</c>: holds the metadata used to decorate responses.</summary>
public interface IItemGrain : IGrainWithStringKey
{
    /// <summary>The item's metadata as raw JSON, or empty when the catalog does not hold the item.</summary>
    [ReadOnly]
    ValueTask<ReadOnlyMemory<byte>> GetMetadataAsync();
}
