using System.Collections.Concurrent;

namespace Personalization.Grains.Context;

/// <summary>
/// IANA zone lookup with a cache that also remembers unknown ids (the system lookup throws, which is costly
/// when a client sends garbage on every request). Works with InvariantGlobalization: zones come from tzdata.
/// </summary>
public static class TimeZones
{
    private const int MaxCachedIds = 2048;
    private static readonly ConcurrentDictionary<string, TimeZoneInfo?> Cache = new(StringComparer.Ordinal);

    public static TimeZoneInfo? Find(string? id)
    {
        if (string.IsNullOrWhiteSpace(id))
        {
            return null;
        }

        if (Cache.TryGetValue(id, out var cached))
        {
            return cached;
        }

        TimeZoneInfo? zone;
        try
        {
            zone = TimeZoneInfo.FindSystemTimeZoneById(id.Trim());
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException or ArgumentException)
        {
            zone = null;
        }

        if (Cache.Count < MaxCachedIds)
        {
            Cache.TryAdd(id, zone);
        }

        return zone;
    }
}
