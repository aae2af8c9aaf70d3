using System.Globalization;

namespace Personalization.Runtime.Storage.Memory;

/// <summary>
/// The records behind memory grain storage. Share one instance between silo instances (e.g. across a restart in a
/// test) to keep state.
/// </summary>
public sealed class MemoryGrainStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(string Storage, GrainId GrainId, string StateName), (byte[] State, long Etag)> _records = [];
    private long _nextEtag;

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _records.Count;
            }
        }
    }

    internal GrainStateRecord? Read(string storage, GrainId grainId, string stateName)
    {
        lock (_gate)
        {
            return _records.TryGetValue((storage, grainId, stateName), out var record)
                ? new GrainStateRecord(record.State, Format(record.Etag))
                : null;
        }
    }

    internal string Write(string storage, GrainId grainId, string stateName, byte[] state, string? expectedEtag)
    {
        lock (_gate)
        {
            var key = (storage, grainId, stateName);
            Check(key, grainId, stateName, expectedEtag);
            var etag = ++_nextEtag;
            _records[key] = (state, etag);
            return Format(etag);
        }
    }

    internal void Clear(string storage, GrainId grainId, string stateName, string? expectedEtag)
    {
        lock (_gate)
        {
            var key = (storage, grainId, stateName);
            Check(key, grainId, stateName, expectedEtag);
            _records.Remove(key);
        }
    }

    private void Check((string, GrainId, string) key, GrainId grainId, string stateName, string? expectedEtag)
    {
        var stored = _records.TryGetValue(key, out var record) ? Format(record.Etag) : null;
        if (stored != expectedEtag)
        {
            throw new InconsistentStateException(
                $"State '{stateName}' of {grainId} was changed by another writer (stored ETag {stored ?? "none"}, expected {expectedEtag ?? "none"}).",
                stored,
                expectedEtag);
        }
    }

    private static string Format(long etag) => etag.ToString(CultureInfo.InvariantCulture);
}
