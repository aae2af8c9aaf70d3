namespace Personalization.Grains.Catalog;

/// <summary>
/// The per-silo cache of remotely read item metadata: at most <c>capacity</c> entries (least recently used evicted
/// first), each reused for <c>ttl</c>. An absent item is cached too (empty metadata), so a recommender that keeps
/// returning an unknown id does not cost a read per request.
/// </summary>
public sealed class ItemMetadataCache(int capacity, TimeSpan ttl, TimeProvider time)
{
    private readonly Dictionary<(string Namespace, string Id), LinkedListNode<Entry>> _entries = [];
    private readonly LinkedList<Entry> _recency = new();
    private readonly Lock _lock = new();

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>True with the item's metadata (empty when the item is known to be absent) while the entry is fresh.</summary>
    public bool TryGet(string ns, string id, out ReadOnlyMemory<byte> metadata)
    {
        var now = time.GetTimestamp();
        lock (_lock)
        {
            if (_entries.TryGetValue((ns, id), out var node))
            {
                if (now < node.Value.ExpiresAt)
                {
                    _recency.Remove(node);
                    _recency.AddFirst(node);
                    metadata = node.Value.Metadata;
                    return true;
                }

                _recency.Remove(node);
                _entries.Remove((ns, id));
            }
        }

        metadata = default;
        return false;
    }

    public void Set(string ns, string id, ReadOnlyMemory<byte> metadata)
    {
        if (capacity == 0 || ttl <= TimeSpan.Zero)
        {
            return;
        }

        var expiresAt = time.GetTimestamp() + (long)(ttl.TotalSeconds * time.TimestampFrequency);
        lock (_lock)
        {
            if (_entries.TryGetValue((ns, id), out var existing))
            {
                _recency.Remove(existing);
            }

            var node = _recency.AddFirst(new Entry(ns, id, metadata, expiresAt));
            _entries[(ns, id)] = node;
            while (_entries.Count > capacity && _recency.Last is { } oldest)
            {
                _recency.RemoveLast();
                _entries.Remove((oldest.Value.Namespace, oldest.Value.Id));
            }
        }
    }

    /// <summary>Drops a namespace's entries (its configuration went away).</summary>
    public void Remove(string ns)
    {
        lock (_lock)
        {
            for (var node = _recency.First; node is not null;)
            {
                var next = node.Next;
                if (node.Value.Namespace == ns)
                {
                    _recency.Remove(node);
                    _entries.Remove((ns, node.Value.Id));
                }

                node = next;
            }
        }
    }

    private sealed record Entry(string Namespace, string Id, ReadOnlyMemory<byte> Metadata, long ExpiresAt);
}
