namespace Personalization.Grains.Recommenders.BuiltIn.Model;

internal sealed class NeighbourOrder : IComparer<Neighbour>
{
    public static NeighbourOrder Instance { get; } = new();

    public int Compare(Neighbour x, Neighbour y)
    {
        var bySimilarity = y.Similarity.CompareTo(x.Similarity);
        if (bySimilarity != 0)
        {
            return bySimilarity;
        }

        var byCount = y.CoCount.CompareTo(x.CoCount);
        return byCount != 0 ? byCount : x.Item.CompareTo(y.Item);
    }
}
