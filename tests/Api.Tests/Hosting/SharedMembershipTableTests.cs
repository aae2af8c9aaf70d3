using System.Net;
using Personalization.Api.Tests.Cluster;
using Xunit;

namespace Personalization.Api.Tests.Hosting;

/// <summary>The test cluster's membership table keeps the <see cref="IMembershipTable"/> contract Orleans relies on.</summary>
public sealed class SharedMembershipTableTests
{
    private static readonly DateTime Start = new(2026, 1, 5, 12, 0, 0, DateTimeKind.Utc);

    [Fact]
    public async Task Initialize_creates_version_zero_once_and_a_later_silo_does_not_reset_it()
    {
        var table = new SharedMembershipTable();
        await table.InitializeMembershipTableAsync(true, CancellationToken.None);
        var initial = (await table.ReadAllAsync(CancellationToken.None)).Version;
        Assert.Equal(0, initial.Version);
        Assert.True(await table.InsertRowAsync(Entry(1), initial.Next(), CancellationToken.None));

        await table.InitializeMembershipTableAsync(true, CancellationToken.None);

        var snapshot = await table.ReadAllAsync(CancellationToken.None);
        Assert.Equal(1, snapshot.Version.Version);
        Assert.Single(snapshot.Members);
    }

    [Fact]
    public async Task Insert_needs_an_absent_row_and_the_current_table_etag()
    {
        var table = await InitializedAsync();
        var version = (await table.ReadAll()).Version;

        Assert.True(await table.InsertRow(Entry(1), version.Next()));
        Assert.False(await table.InsertRow(Entry(2), version.Next()));
        var current = (await table.ReadAll()).Version;
        Assert.False(await table.InsertRow(Entry(1), current.Next()));
        Assert.True(await table.InsertRow(Entry(2), current.Next()));
        Assert.Equal(2, (await table.ReadAll()).Version.Version);
    }

    [Fact]
    public async Task Update_needs_an_existing_row_its_etag_and_the_current_table_etag()
    {
        var table = await InitializedAsync();
        Assert.True(await table.InsertRow(Entry(1), (await table.ReadAll()).Version.Next()));
        var read = await table.ReadRow(Entry(1).SiloAddress);
        var (entry, etag) = read.Members.Single();

        entry.Status = SiloStatus.Active;
        Assert.False(await table.UpdateRow(Entry(2), etag, read.Version.Next()));
        Assert.False(await table.UpdateRow(entry, "stale", read.Version.Next()));
        Assert.True(await table.UpdateRow(entry, etag, read.Version.Next()));
        Assert.False(await table.UpdateRow(entry, etag, read.Version.Next()));
        Assert.Equal(SiloStatus.Active, (await table.ReadRow(entry.SiloAddress)).Members.Single().Item1.Status);
    }

    [Fact]
    public async Task A_heartbeat_changes_only_the_alive_time_so_an_earlier_read_can_still_update()
    {
        var table = await InitializedAsync();
        Assert.True(await table.InsertRow(Entry(1), (await table.ReadAll()).Version.Next()));
        var read = await table.ReadAll();
        var (entry, etag) = read.Members.Single();

        var heartbeat = Entry(1);
        heartbeat.IAmAliveTime = Start.AddMinutes(1);
        heartbeat.Status = SiloStatus.Dead;
        await table.UpdateIAmAlive(heartbeat);

        var after = await table.ReadAll();
        var (stored, storedETag) = after.Members.Single();
        Assert.Equal(Start.AddMinutes(1), stored.IAmAliveTime);
        Assert.Equal(SiloStatus.Joining, stored.Status);
        Assert.Equal(etag, storedETag);
        Assert.Equal(read.Version, after.Version);
        entry.Status = SiloStatus.Active;
        Assert.True(await table.UpdateRow(entry, etag, read.Version.Next()));
    }

    [Fact]
    public async Task Cleanup_removes_only_dead_rows_not_updated_since_the_cutoff()
    {
        var table = await InitializedAsync();
        var oldDead = Entry(1, SiloStatus.Dead);
        var recentDead = Entry(2, SiloStatus.Dead);
        recentDead.IAmAliveTime = Start.AddHours(2);
        var oldActive = Entry(3, SiloStatus.Active);
        foreach (var entry in new[] { oldDead, recentDead, oldActive })
        {
            Assert.True(await table.InsertRow(entry, (await table.ReadAll()).Version.Next()));
        }

        await table.CleanupDefunctSiloEntries(new DateTimeOffset(Start.AddHours(1)));

        var left = (await table.ReadAll()).Members.Select(m => m.Item1.SiloAddress).ToHashSet();
        Assert.Equal([recentDead.SiloAddress, oldActive.SiloAddress], left);
    }

    [Fact]
    public async Task Entries_are_copied_so_a_caller_changing_its_object_does_not_change_the_table()
    {
        var table = await InitializedAsync();
        var inserted = Entry(1);
        Assert.True(await table.InsertRow(inserted, (await table.ReadAll()).Version.Next()));
        inserted.Status = SiloStatus.Dead;
        (await table.ReadAll()).Members.Single().Item1.Status = SiloStatus.Dead;

        Assert.Equal(SiloStatus.Joining, (await table.ReadAll()).Members.Single().Item1.Status);
    }

    private static async Task<SharedMembershipTable> InitializedAsync()
    {
        var table = new SharedMembershipTable();
        await table.InitializeMembershipTable(true);
        return table;
    }

    private static MembershipEntry Entry(int port, SiloStatus status = SiloStatus.Joining) => new()
    {
        SiloAddress = SiloAddress.New(new IPEndPoint(IPAddress.Loopback, 11000 + port), 1),
        Status = status,
        HostName = "localhost",
        SiloName = "silo-" + port,
        StartTime = Start,
        IAmAliveTime = Start,
        SuspectTimes = [],
    };
}
