using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Amazon.DynamoDBv2.Model;
using Orleans;
using Orleans.Runtime;

namespace Personalization.Orleans.Clustering.DynamoDB;

/// <summary>
/// The layout of a cluster's one item, shared by the membership table and the gateway list:
/// <c>ClusterId</c> (S, hash key, "{ServiceId}/{ClusterId}"), <c>Version</c> (N), <c>ETag</c> (S, random per write)
/// and <c>Rows</c> (M: <c>SiloAddress.ToParsableString()</c> → M { <c>Entry</c> (S, JSON), <c>IAmAliveTime</c> (S,
/// ISO 8601 UTC) }).
/// </summary>
internal static class ClusterItem
{
    public const string HashKey = "ClusterId";
    public const string VersionAttribute = "Version";
    public const string EtagAttribute = "ETag";
    public const string RowsAttribute = "Rows";
    public const string EntryAttribute = "Entry";
    public const string IAmAliveTimeAttribute = "IAmAliveTime";

    /// <summary>DynamoDB's item limit (400 KB, counted as 400 * 1024 bytes of names and values).</summary>
    public const int MaxItemBytes = 400 * 1024;

    /// <summary>
    /// Names for the attributes <paramref name="expressions"/> use: several (Rows, Version) are or may become DynamoDB
    /// reserved words, and silo keys contain ':' and '@', which a path cannot spell. DynamoDB rejects unused names, so
    /// only the item's own placeholders that appear are included; <paramref name="extra"/> ones always are.
    /// </summary>
    public static Dictionary<string, string> Names(string expressions, params (string Placeholder, string Name)[] extra)
    {
        var names = extra.ToDictionary(e => e.Placeholder, e => e.Name);
        foreach (var (placeholder, name) in BaseNames)
        {
            if (Regex.IsMatch(expressions, Regex.Escape(placeholder) + "(?![A-Za-z0-9_])"))
            {
                names[placeholder] = name;
            }
        }

        return names;
    }

    private static readonly (string Placeholder, string Name)[] BaseNames =
        [("#key", HashKey), ("#version", VersionAttribute), ("#etag", EtagAttribute), ("#rows", RowsAttribute)];

    public static Dictionary<string, AttributeValue> Key(string itemKey) => new() { [HashKey] = new AttributeValue { S = itemKey } };

    public static string RowKey(SiloAddress silo) => silo.ToParsableString();

    public static string NewEtag() => Guid.NewGuid().ToString("N");

    public static AttributeValue Number(long value) => new() { N = value.ToString(CultureInfo.InvariantCulture) };

    public static AttributeValue Time(DateTime time) => new() { S = Utc(time).ToString("O", CultureInfo.InvariantCulture) };

    /// <summary>The runtime hands UTC times; an unspecified kind is taken as UTC so that reading back gives the same instant.</summary>
    public static DateTime Utc(DateTime time) => time.Kind switch
    {
        DateTimeKind.Utc => time,
        DateTimeKind.Local => time.ToUniversalTime(),
        _ => DateTime.SpecifyKind(time, DateTimeKind.Utc),
    };

    public static AttributeValue Row(MembershipEntry entry)
    {
        var document = new MembershipEntryDocument
        {
            SiloAddress = RowKey(entry.SiloAddress),
            Status = entry.Status,
            ProxyPort = entry.ProxyPort,
            HostName = entry.HostName,
            SiloName = entry.SiloName,
            RoleName = entry.RoleName,
            UpdateZone = entry.UpdateZone,
            FaultZone = entry.FaultZone,
            StartTime = Utc(entry.StartTime),
            SuspectTimes = entry.SuspectTimes?.Select(v => new SuspectVoteDocument { Silo = RowKey(v.Item1), Time = Utc(v.Item2) }).ToList(),
        };
        return new AttributeValue
        {
            M = new Dictionary<string, AttributeValue>
            {
                [EntryAttribute] = new() { S = JsonSerializer.Serialize(document, MembershipJsonContext.Default.MembershipEntryDocument) },
                [IAmAliveTimeAttribute] = Time(entry.IAmAliveTime),
            },
        };
    }

    /// <summary>Bytes a row adds to the item (name plus nested names and values), to refuse oversize rows before calling AWS.</summary>
    public static int RowSize(string rowKey, AttributeValue row) =>
        Encoding.UTF8.GetByteCount(rowKey) + row.M.Sum(a => Encoding.UTF8.GetByteCount(a.Key) + Encoding.UTF8.GetByteCount(a.Value.S ?? ""));

    public static TableVersion Version(Dictionary<string, AttributeValue> item, string itemKey)
    {
        var version = item.TryGetValue(VersionAttribute, out var v) && int.TryParse(v.N, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : -1;
        var etag = item.TryGetValue(EtagAttribute, out var e) ? e.S : null;
        if (version < 0 || string.IsNullOrEmpty(etag))
        {
            throw new DynamoDBMembershipException($"DynamoDB clustering: item {itemKey} has no valid {VersionAttribute} and {EtagAttribute}; it was not written by this provider.");
        }

        return new TableVersion(version, etag);
    }

    /// <summary>The rows of an item (all of them, or those a projection kept), each with the table's ETag as its row ETag.</summary>
    public static List<Tuple<MembershipEntry, string>> Rows(Dictionary<string, AttributeValue> item, string etag)
    {
        // SDK v4 leaves collections null rather than empty, and an empty map may come back either way.
        if (!item.TryGetValue(RowsAttribute, out var rows) || rows.M is not { } map)
        {
            return [];
        }

        return map.Select(row => Tuple.Create(Entry(row.Key, row.Value), etag)).ToList();
    }

    private static MembershipEntry Entry(string rowKey, AttributeValue row)
    {
        if (row.M is not { } attributes || !attributes.TryGetValue(EntryAttribute, out var json) || json.S is null
            || JsonSerializer.Deserialize(json.S, MembershipJsonContext.Default.MembershipEntryDocument) is not { } document)
        {
            throw new DynamoDBMembershipException($"DynamoDB clustering: row {rowKey} has no {EntryAttribute}; it was not written by this provider.");
        }

        return new MembershipEntry
        {
            SiloAddress = SiloAddress.FromParsableString(document.SiloAddress),
            Status = document.Status,
            ProxyPort = document.ProxyPort,
            // Declared non-null, but a new MembershipEntry has them null; what was stored is handed back as it was.
            HostName = document.HostName!,
            SiloName = document.SiloName!,
            RoleName = document.RoleName,
            UpdateZone = document.UpdateZone,
            FaultZone = document.FaultZone,
            StartTime = Utc(document.StartTime),
            IAmAliveTime = attributes.TryGetValue(IAmAliveTimeAttribute, out var alive) && alive.S is { } s
                ? DateTime.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind)
                : default,
            SuspectTimes = document.SuspectTimes?.Select(v => Tuple.Create(SiloAddress.FromParsableString(v.Silo), Utc(v.Time))).ToList(),
        };
    }
}
