namespace Personalization.Grains.Recommenders.BuiltIn.Model;

/// <summary>Online co-occurrence: adds to an item's neighbour list copy-on-write. Pairs below the minimum support wait
/// in a bounded pending table, so memory stays bounded and exact counts are kept only for the strongest pairs.</summary>
internal static class NeighbourUpdater
{
    public static void AddCooccurrence(ItemState item, ItemState other, ItemRegistry items, int neighbours, int minSupport)
    {
        lock (item.Gate)
        {
            var current = item.Neighbours;
            var position = Array.FindIndex(current, n => n.Item == other.Index);
            float coCount;
            if (position >= 0)
            {
                coCount = current[position].CoCount + 1;
            }
            else
            {
                var pending = item.Pending ??= new Dictionary<int, float>();
                coCount = pending.GetValueOrDefault(other.Index) + 1;
                if (coCount < minSupport)
                {
                    AddPending(pending, other.Index, coCount, neighbours * 2);
                    return;
                }

                pending.Remove(other.Index);
            }

            // Every user count may have moved since the list was built, so the whole (small) list is re-scored.
            var updated = new List<Neighbour>(current.Length + 1);
            foreach (var neighbour in current)
            {
                if (neighbour.Item != other.Index)
                {
                    updated.Add(neighbour with { Similarity = Cosine(neighbour.CoCount, item, items[neighbour.Item]) });
                }
            }

            updated.Add(new Neighbour(other.Index, coCount, Cosine(coCount, item, other)));
            updated.Sort(NeighbourOrder.Instance);
            if (updated.Count > neighbours)
            {
                updated.RemoveRange(neighbours, updated.Count - neighbours);
            }

            item.Neighbours = [.. updated];
        }
    }

    public static float Cosine(float coCount, ItemState a, ItemState b)
    {
        var denominator = Math.Sqrt(Math.Max(a.UserCount, coCount) * Math.Max(b.UserCount, coCount));
        return denominator > 0 ? (float)(coCount / denominator) : 0;
    }

    private static void AddPending(Dictionary<int, float> pending, int other, float coCount, int capacity)
    {
        if (!pending.ContainsKey(other) && pending.Count >= capacity)
        {
            // Evict the weakest pending pair: a heavy-hitter style bound on memory.
            var weakest = pending.MinBy(p => p.Value).Key;
            pending.Remove(weakest);
        }

        pending[other] = coCount;
    }
}
