using Orleans;
using Orleans.Runtime;
using Personalization.TestSupport;

namespace Personalization.Orleans.Clustering.DynamoDB.Tests;

/// <summary>
/// The Orleans membership test kit (MembershipTableTestsBase) rewritten against this table, with cleanup as in
/// 10.4.2 (Dead rows only). Set-up as in the kit: a fresh cluster id, InitializeMembershipTable(true); teardown
/// DeleteMembershipTableEntries.
/// </summary>
[Collection(DynaliteCollection.Name)]
public sealed class MembershipTableContractTests(DynaliteFixture dynalite) : IAsyncLifetime
{
    private readonly MembershipFactory _factory = new(dynalite);
    private DynamoDBMembershipTable _table = null!;

    public async Task InitializeAsync() => _table = await _factory.CreateAsync();

    public async Task DisposeAsync()
    {
        await _table.DeleteMembershipTableEntriesAsync(_factory.ClusterId, CancellationToken.None);
        _table.Dispose();
        _factory.Dispose();
    }

    private static CancellationToken None => CancellationToken.None;

    [Fact]
    public async Task GetGateways_returns_only_Active_rows_with_a_proxy_port()
    {
        var entries = new List<MembershipEntry>();
        for (var i = 0; i < 10; i++)
        {
            var entry = MembershipFactory.NewEntry();
            if (i == 3)
            {
                entry.Status = SiloStatus.Active;
                entry.ProxyPort = 0;
            }
            else if (i is 5 or 9)
            {
                entry.Status = SiloStatus.Active;
            }

            var version = (await _table.ReadRowAsync(entry.SiloAddress, None)).Version.Next();
            Assert.True(await _table.InsertRowAsync(entry, version, None));
            entries.Add(entry);
        }

        using var gateways = _factory.CreateGateways();
        await gateways.InitializeGatewayListProviderAsync(None);
        var uris = await gateways.GetGatewaysAsync(None);

        var expected = new[] { entries[5], entries[9] }
            .Select(e => SiloAddress.New(e.SiloAddress.Endpoint.Address, e.ProxyPort, e.SiloAddress.Generation).ToGatewayUri())
            .OrderBy(u => u.ToString());
        Assert.Equal(expected, uris.OrderBy(u => u.ToString()));
    }

    [Fact]
    public async Task ReadAll_of_an_empty_table_has_version_0_and_an_etag()
    {
        var data = await _table.ReadAllAsync(None);

        Assert.Empty(data.Members);
        Assert.Equal(0, data.Version.Version);
        Assert.False(string.IsNullOrEmpty(data.Version.VersionEtag));
    }

    [Fact]
    public async Task InsertRow_applies_the_version()
    {
        var entry = MembershipFactory.NewEntry();
        var before = await _table.ReadAllAsync(None);

        Assert.True(await _table.InsertRowAsync(entry, before.Version.Next(), None));

        var after = await _table.ReadAllAsync(None);
        Assert.Equal(1, after.Version.Version);
        Assert.Single(after.Members);
    }

    [Fact]
    public async Task ReadRow_Insert_Read_refuses_duplicates_and_stale_versions()
    {
        var before = await _table.ReadAllAsync(None);
        var entry = MembershipFactory.NewEntry();
        var next = before.Version.Next();

        Assert.True(await _table.InsertRowAsync(entry, next, None));
        Assert.False(await _table.InsertRowAsync(entry, next, None));
        Assert.False(await _table.InsertRowAsync(MembershipFactory.NewEntry(), next, None)); // new entry, stale version
        var fresh = (await _table.ReadAllAsync(None)).Version.Next();
        Assert.False(await _table.InsertRowAsync(entry, fresh, None)); // duplicate, fresh version

        var row = await _table.ReadRowAsync(entry.SiloAddress, None);
        Assert.Equal(1, row.Version.Version);
        Assert.NotEqual(before.Version.VersionEtag, row.Version.VersionEtag);
        var (read, etag) = Assert.Single(row.Members);
        Assert.NotNull(etag);
        Assert.Equal(entry.ToFullString(), read.ToFullString());
    }

    [Fact]
    public async Task ReadAll_Insert_ReadAll_changes_the_etag_and_applies_the_version()
    {
        var before = await _table.ReadAllAsync(None);
        var entry = MembershipFactory.NewEntry();

        Assert.True(await _table.InsertRowAsync(entry, before.Version.Next(), None));

        var after = await _table.ReadAllAsync(None);
        Assert.NotEqual(before.Version.VersionEtag, after.Version.VersionEtag);
        Assert.Equal(before.Version.Next().Version, after.Version.Version);
        Assert.NotNull(after.TryGet(entry.SiloAddress)?.Item2);
    }

    [Fact]
    public async Task UpdateRow_needs_the_current_row_etag_and_version()
    {
        for (var i = 0; i < 9; i++)
        {
            var entry = MembershipFactory.NewEntry();
            entry.AddSuspector(MembershipFactory.NewEntry().SiloAddress, DateTime.UtcNow.AddSeconds(-5));
            entry.AddSuspector(MembershipFactory.NewEntry().SiloAddress, DateTime.UtcNow.AddSeconds(-3));
            var stale = (await _table.ReadAllAsync(None)).Version;
            Assert.True(await _table.InsertRowAsync(entry, stale.Next(), None));
            var read = await _table.ReadAllAsync(None);
            Assert.Equal(i + 1, read.Members.Count);
            var (stored, etag) = read.TryGet(entry.SiloAddress)!;
            Assert.Equal(entry.ToFullString(), stored.ToFullString());

            stored.Status = SiloStatus.Active;
            stored.IAmAliveTime = stored.IAmAliveTime.AddSeconds(1);
            Assert.False(await _table.UpdateRowAsync(stored, etag, stale.Next(), None)); // fresh row etag, stale version
            Assert.Equal(read.Version, (await _table.ReadAllAsync(None)).Version); // a failed call changes nothing
            Assert.True(await _table.UpdateRowAsync(stored, etag, read.Version.Next(), None));

            var updated = await _table.ReadAllAsync(None);
            var (roundTripped, newEtag) = updated.TryGet(entry.SiloAddress)!;
            Assert.Equal(stored.ToFullString(), roundTripped.ToFullString());
            Assert.NotEqual(etag, newEtag);
            Assert.False(await _table.UpdateRowAsync(stored, etag, updated.Version.Next(), None)); // old row etag
            Assert.False(await _table.UpdateRowAsync(stored, newEtag, read.Version.Next(), None)); // new row etag, stale version

            var final = await _table.ReadAllAsync(None);
            Assert.Equal(updated.Version, final.Version);
            Assert.Equal((2 * i) + 2, final.Version.Version);
            Assert.Equal(i + 1, final.Members.Count);
        }
    }

    [Fact]
    public async Task Of_20_parallel_inserts_one_wins_and_19_parallel_updaters_all_finish()
    {
        var entry = MembershipFactory.NewEntry();
        var version = (await _table.ReadAllAsync(None)).Version.Next();

        var inserts = await Task.WhenAll(Enumerable.Range(0, 20).Select(async _ =>
        {
            try
            {
                return await _table.InsertRowAsync(entry, version, None);
            }
            catch (DynamoDBMembershipException)
            {
                return false;
            }
        }));
        Assert.Single(inserts, won => won);

        var updaters = Enumerable.Range(0, 19).Select(async n =>
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            while (true)
            {
                var read = await _table.ReadAllAsync(timeout.Token);
                var (stored, etag) = read.TryGet(entry.SiloAddress)!;
                stored.AddOrUpdateSuspector(MembershipFactory.NewEntry().SiloAddress, DateTime.UtcNow, 100);
                if (await _table.UpdateRowAsync(stored, etag, read.Version.Next(), timeout.Token))
                {
                    return;
                }
            }
        });
        await Task.WhenAll(updaters);

        var final = await _table.ReadAllAsync(None);
        Assert.Equal(20, final.Version.Version);
        Assert.Single(final.Members);
        Assert.Equal(19, final.Members[0].Item1.SuspectTimes!.Count);
    }

    [Fact]
    public async Task UpdateIAmAlive_sets_only_the_time_and_keeps_version_and_etags()
    {
        var entry = MembershipFactory.NewEntry();
        Assert.True(await _table.InsertRowAsync(entry, (await _table.ReadAllAsync(None)).Version.Next(), None));
        var before = await _table.ReadAllAsync(None);
        var (_, rowEtag) = before.TryGet(entry.SiloAddress)!;

        var alive = DateTime.UtcNow.AddSeconds(5);
        // The runtime's heartbeat entry holds only these two fields.
        await _table.UpdateIAmAliveAsync(new MembershipEntry { SiloAddress = entry.SiloAddress, IAmAliveTime = alive }, None);

        var after = await _table.ReadAllAsync(None);
        var (stored, etagAfter) = after.TryGet(entry.SiloAddress)!;
        Assert.InRange(stored.IAmAliveTime, alive.AddSeconds(-2), alive.AddSeconds(2));
        Assert.Equal(before.Version, after.Version);
        Assert.Equal(rowEtag, etagAfter);
        Assert.Equal((entry.HostName, entry.SiloName, entry.Status, entry.StartTime), (stored.HostName, stored.SiloName, stored.Status, stored.StartTime));

        // An update prepared before the heartbeat still goes through.
        var (pending, pendingEtag) = before.TryGet(entry.SiloAddress)!;
        pending.Status = SiloStatus.Active;
        Assert.True(await _table.UpdateRowAsync(pending, pendingEtag, before.Version.Next(), None));
    }

    [Fact]
    public async Task Cleanup_removes_only_Dead_rows_whose_last_activity_is_before_the_cutoff()
    {
        var now = DateTime.UtcNow;
        var cutoff = new DateTimeOffset(now.AddHours(-1));
        var oldDead = Entry(now.AddHours(-2), SiloStatus.Dead);
        var oldActive = Entry(now.AddHours(-2), SiloStatus.Active);
        var oldShuttingDown = Entry(now.AddHours(-2), SiloStatus.ShuttingDown);
        var freshDead = Entry(now, SiloStatus.Dead);
        var deadWithRecentVote = Entry(now.AddHours(-2), SiloStatus.Dead);
        deadWithRecentVote.AddSuspector(MembershipFactory.NewEntry().SiloAddress, now.AddMinutes(-5));
        var deadAtCutoff = Entry(cutoff.UtcDateTime, SiloStatus.Dead);
        var deadJustBeforeCutoff = Entry(cutoff.UtcDateTime.AddMilliseconds(-1), SiloStatus.Dead);
        foreach (var entry in new[] { oldDead, oldActive, oldShuttingDown, freshDead, deadWithRecentVote, deadAtCutoff, deadJustBeforeCutoff })
        {
            Assert.True(await _table.InsertRowAsync(entry, (await _table.ReadAllAsync(None)).Version.Next(), None));
        }

        var before = await _table.ReadAllAsync(None);

        await _table.CleanupDefunctSiloEntriesAsync(cutoff, None);

        var after = await _table.ReadAllAsync(None);
        Assert.Equal(
            new[] { oldActive, oldShuttingDown, freshDead, deadWithRecentVote, deadAtCutoff }.Select(e => e.SiloAddress).OrderBy(s => s),
            after.Members.Select(m => m.Item1.SiloAddress).OrderBy(s => s));
        Assert.Equal(before.Version, after.Version); // the version row survives, untouched
    }

    /// <summary>All of the entry's times at <paramref name="time"/>, kept to the millisecond (unlike NewEntry's seconds).</summary>
    private static MembershipEntry Entry(DateTime time, SiloStatus status)
    {
        var entry = MembershipFactory.NewEntry();
        entry.StartTime = time;
        entry.IAmAliveTime = time;
        entry.Status = status;
        return entry;
    }
}
