namespace Personalization.Grains.Catalog;

/// <summary>Reads item metadata from a remote table (DynamoDB) in as few calls as it can.</summary>
public interface IItemMetadataReader
{
    /// <summary>
    /// Reads <paramref name="ids"/> (distinct) of namespace <paramref name="ns"/>. Never throws for the store's
    /// failures: ids it could not read (errors, throttling, keys left unprocessed after retries, the token firing) are
    /// returned in <see cref="ItemMetadataBatch.Unresolved"/>; ids in neither list were read and do not exist.
    /// </summary>
    Task<ItemMetadataBatch> ReadAsync(string ns, IReadOnlyList<string> ids, CancellationToken cancellationToken);
}

/// <summary>What a read found: metadata JSON (the item without its key) by id, and the ids it could not read.</summary>
public sealed record ItemMetadataBatch(IReadOnlyDictionary<string, ReadOnlyMemory<byte>> Found, IReadOnlyCollection<string> Unresolved);
