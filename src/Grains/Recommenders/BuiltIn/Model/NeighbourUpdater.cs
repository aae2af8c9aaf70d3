namespace Personalization.Grains.Recommenders.BuiltIn.Model;

/// <summary>Online co-occurrence: adds to an item's neighbour list copy-on-write. Pairs below the minimum support or
/// cut from the list wait in a pending table bounded to twice the list (weakest evicted, a heavy-hitters sketch), so
/// memory stays bounded and counts are exact for the strongest pairs.
/// Readers never lock: they see the old or the new immutable array.</summary>
internal static class NeighbourUpdater
{
    public static void AddCooccurrence(ItemState item, ItemState other, ItemRegistry items, int neighbours, int minSupport)
    {
        lock (item.Gate)
        {
            var current = item.Neighbours;
            var position = IndexOf(current, other.Index);
            var pending = item.Pending ??= new Dictionary<int, float>();
            float coCount;
            if (position >= 0)
            {
                coCount = current[position].CoCount + 1;
            }
            else
            {
                coCount = pending.GetValueOrDefault(other.Index) + 1;
                if (coCount < minSupport)
                {
                    AddPending(pending, other.Index, coCount, neighbours * 2);
                    return;
                }

                pending.Remove(other.Index);
            }

            item.Neighbours = Rescored(current, position, new Neighbour(other.Index, coCount, 0), item, items, neighbours, pending);
        }
    }

    /// <summary>The list with one pair replaced or added, every similarity recomputed from the current user counts
    /// (they grow with each new user, so stored values go stale), re-sorted and cut to <paramref name="capacity"/>.
    /// The list is nearly sorted already, so insertion sort in a stack buffer is the cheap way.</summary>
    private static Neighbour[] Rescored(Neighbour[] current, int replaced, Neighbour entry, ItemState item, ItemRegistry items, int capacity, Dictionary<int, float> pending)
    {
        Span<Neighbour> buffer = current.Length < 256 ? stackalloc Neighbour[current.Length + 1] : new Neighbour[current.Length + 1];
        var count = 0;
        for (var i = 0; i < current.Length; i++)
        {
            var neighbour = i == replaced ? entry : current[i];
            buffer[count++] = neighbour with { Similarity = Cosine(neighbour.CoCount, item, items[neighbour.Item]) };
        }

        if (replaced < 0)
        {
            buffer[count++] = entry with { Similarity = Cosine(entry.CoCount, item, items[entry.Item]) };
        }

        for (var i = 1; i < count; i++)
        {
            var moving = buffer[i];
            var j = i - 1;
            while (j >= 0 && NeighbourOrder.Instance.Compare(buffer[j], moving) > 0)
            {
                buffer[j + 1] = buffer[j];
                j--;
            }

            buffer[j + 1] = moving;
        }

        // A pair that falls off the list keeps its count among the pending pairs, so it can climb back.
        for (var i = capacity; i < count; i++)
        {
            AddPending(pending, buffer[i].Item, buffer[i].CoCount, capacity * 2);
        }

        return buffer[..Math.Min(count, capacity)].ToArray();
    }

    private static int IndexOf(Neighbour[] neighbours, int item)
    {
        for (var i = 0; i < neighbours.Length; i++)
        {
            if (neighbours[i].Item == item)
            {
                return i;
            }
        }

        return -1;
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
