using Orleans.Runtime;

namespace Personalization.Api.Tests.Cluster;

/// <summary>
/// One membership table for every silo of a <see cref="TestCluster"/> (each silo would otherwise keep its own and never
/// meet the others). Follows the <see cref="IMembershipTable"/> contract as a real provider must: reads are atomic
/// snapshots with the table version; inserts and updates succeed only against the current table ETag (and the row's);
/// heartbeats change neither ETag. Entries are copied in and out, so silos never share a mutable object.
/// </summary>
public sealed class SharedMembershipTable : IMembershipTable
{
    private readonly object _gate = new();
    private readonly Dictionary<SiloAddress, (MembershipEntry Entry, string ETag)> _rows = [];
    private TableVersion? _version;

    public Task InitializeMembershipTable(bool tryInitTableVersion) => InitializeMembershipTableAsync(tryInitTableVersion, CancellationToken.None);

    public Task InitializeMembershipTableAsync(bool tryInitTableVersion, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            // Every silo initializes; only the first creates version 0, later ones must not reset the table.
            _version ??= new TableVersion(0, NewETag());
        }

        return Task.CompletedTask;
    }

    public Task DeleteMembershipTableEntries(string clusterId) => DeleteMembershipTableEntriesAsync(clusterId, CancellationToken.None);

    public Task DeleteMembershipTableEntriesAsync(string clusterId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            // One table holds one cluster.
            _rows.Clear();
        }

        return Task.CompletedTask;
    }

    public Task CleanupDefunctSiloEntries(DateTimeOffset beforeDate) => CleanupDefunctSiloEntriesAsync(beforeDate, CancellationToken.None);

    public Task CleanupDefunctSiloEntriesAsync(DateTimeOffset beforeDate, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            var defunct = _rows.Values
                .Where(r => r.Entry.Status == SiloStatus.Dead && LastUpdate(r.Entry) < beforeDate)
                .Select(r => r.Entry.SiloAddress)
                .ToList();
            foreach (var silo in defunct)
            {
                _rows.Remove(silo);
            }
        }

        return Task.CompletedTask;
    }

    public Task<MembershipTableData> ReadRow(SiloAddress key) => ReadRowAsync(key, CancellationToken.None);

    public Task<MembershipTableData> ReadRowAsync(SiloAddress key, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            var version = CurrentVersion();
            return Task.FromResult(_rows.TryGetValue(key, out var row)
                ? new MembershipTableData(Tuple.Create(Copy(row.Entry), row.ETag), version)
                : new MembershipTableData(version));
        }
    }

    public Task<MembershipTableData> ReadAll() => ReadAllAsync(CancellationToken.None);

    public Task<MembershipTableData> ReadAllAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            var rows = _rows.Values.Select(r => Tuple.Create(Copy(r.Entry), r.ETag)).ToList();
            return Task.FromResult(new MembershipTableData(rows, CurrentVersion()));
        }
    }

    public Task<bool> InsertRow(MembershipEntry entry, TableVersion tableVersion) => InsertRowAsync(entry, tableVersion, CancellationToken.None);

    public Task<bool> InsertRowAsync(MembershipEntry entry, TableVersion tableVersion, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (_rows.ContainsKey(entry.SiloAddress) || tableVersion.VersionEtag != CurrentVersion().VersionEtag)
            {
                return Task.FromResult(false);
            }

            _rows[entry.SiloAddress] = (Copy(entry), NewETag());
            _version = new TableVersion(tableVersion.Version, NewETag());
            return Task.FromResult(true);
        }
    }

    public Task<bool> UpdateRow(MembershipEntry entry, string etag, TableVersion tableVersion) => UpdateRowAsync(entry, etag, tableVersion, CancellationToken.None);

    public Task<bool> UpdateRowAsync(MembershipEntry entry, string etag, TableVersion tableVersion, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (!_rows.TryGetValue(entry.SiloAddress, out var row) || row.ETag != etag || tableVersion.VersionEtag != CurrentVersion().VersionEtag)
            {
                return Task.FromResult(false);
            }

            _rows[entry.SiloAddress] = (Copy(entry), NewETag());
            _version = new TableVersion(tableVersion.Version, NewETag());
            return Task.FromResult(true);
        }
    }

    public Task UpdateIAmAlive(MembershipEntry entry) => UpdateIAmAliveAsync(entry, CancellationToken.None);

    public Task UpdateIAmAliveAsync(MembershipEntry entry, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (!_rows.TryGetValue(entry.SiloAddress, out var row))
            {
                throw new InvalidOperationException($"no membership row for {entry.SiloAddress} to update IAmAliveTime of");
            }

            // A heartbeat must leave earlier reads usable for UpdateRow: neither the row's nor the table's ETag moves.
            var updated = Copy(row.Entry);
            updated.IAmAliveTime = entry.IAmAliveTime;
            _rows[entry.SiloAddress] = (updated, row.ETag);
        }

        return Task.CompletedTask;
    }

    private TableVersion CurrentVersion() => _version ?? throw new InvalidOperationException("the membership table was not initialized");

    /// <summary>The latest of start, heartbeat and suspicion votes (a declaration of death records a vote), as Orleans ages a row.</summary>
    private static DateTimeOffset LastUpdate(MembershipEntry entry)
    {
        var latest = entry.IAmAliveTime > entry.StartTime ? entry.IAmAliveTime : entry.StartTime;
        foreach (var (_, votedAt) in entry.SuspectTimes ?? [])
        {
            latest = votedAt > latest ? votedAt : latest;
        }

        return new DateTimeOffset(DateTime.SpecifyKind(latest, DateTimeKind.Utc));
    }

    private static string NewETag() => Guid.NewGuid().ToString("N");

    private static MembershipEntry Copy(MembershipEntry entry) => new()
    {
        SiloAddress = entry.SiloAddress,
        Status = entry.Status,
        SuspectTimes = entry.SuspectTimes?.ToList() ?? [],
        ProxyPort = entry.ProxyPort,
        HostName = entry.HostName,
        SiloName = entry.SiloName,
        RoleName = entry.RoleName,
        UpdateZone = entry.UpdateZone,
        FaultZone = entry.FaultZone,
        StartTime = entry.StartTime,
        IAmAliveTime = entry.IAmAliveTime,
    };
}
