namespace Personalization.Grains.Recommenders.BuiltIn.Model;

/// <summary>A user's last distinct items, oldest first, bounded; guarded by its own lock so users never contend.</summary>
internal sealed class UserHistory(int capacity)
{
    private readonly Lock _gate = new();
    private readonly HistoryEntry[] _entries = new HistoryEntry[capacity];
    private int _count;

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _count;
            }
        }
    }

    /// <summary>Adds or refreshes an item. Returns true when the item was not in the history; then
    /// <paramref name="previous"/> receives up to its length of the items seen just before (newest first).</summary>
    public bool Record(int item, long timestamp, float weight, Span<int> previous, out int previousCount)
    {
        lock (_gate)
        {
            var existing = IndexOf(item);
            if (existing >= 0)
            {
                var entry = _entries[existing];
                Array.Copy(_entries, existing + 1, _entries, existing, _count - existing - 1);
                _entries[_count - 1] = new HistoryEntry(item, Math.Max(entry.Timestamp, timestamp), Math.Max(entry.Weight, weight));
                previousCount = 0;
                return false;
            }

            previousCount = Math.Min(previous.Length, _count);
            for (var i = 0; i < previousCount; i++)
            {
                previous[i] = _entries[_count - 1 - i].Item;
            }

            if (_count == _entries.Length)
            {
                Array.Copy(_entries, 1, _entries, 0, _count - 1);
                _count--;
            }

            _entries[_count++] = new HistoryEntry(item, timestamp, weight);
            return true;
        }
    }

    public int CopyTo(Span<HistoryEntry> destination)
    {
        lock (_gate)
        {
            var count = Math.Min(_count, destination.Length);
            _entries.AsSpan(_count - count, count).CopyTo(destination);
            return count;
        }
    }

    private int IndexOf(int item)
    {
        for (var i = _count - 1; i >= 0; i--)
        {
            if (_entries[i].Item == item)
            {
                return i;
            }
        }

        return -1;
    }
}
