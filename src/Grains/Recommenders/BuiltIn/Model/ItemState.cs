using Personalization.Grains.Catalog;

namespace Personalization.Grains.Recommenders.BuiltIn.Model;

/// <summary>Everything the model knows about one item. Neighbours are an immutable array swapped under
/// <see cref="Gate"/>, so readers never lock.</summary>
internal sealed class ItemState(int index, string id, CatalogItem? catalogItem)
{
    private double _popularity;
    private double _userCount;

    public int Index { get; } = index;

    public string Id { get; } = id;

    public volatile CatalogItem? CatalogItem = catalogItem;

    public volatile Neighbour[] Neighbours = [];

    /// <summary>Co-counts not yet at the minimum support; touched only under <see cref="Gate"/>.</summary>
    public Dictionary<int, float>? Pending;

    public object Gate { get; } = new();

    /// <summary>Popularity as Σ weight·2^((t − epoch)/half-life): decay is shared by every item, so the
    /// ranking needs no periodic rescaling.</summary>
    public double Popularity => Volatile.Read(ref _popularity);

    /// <summary>Users who interacted with the item (the cosine denominator).</summary>
    public double UserCount => Volatile.Read(ref _userCount);

    public void AddPopularity(double amount) => AtomicDouble.Add(ref _popularity, amount);

    public void AddUser() => AtomicDouble.Add(ref _userCount, 1);

    public void SetUserCount(double count) => Volatile.Write(ref _userCount, count);
}
