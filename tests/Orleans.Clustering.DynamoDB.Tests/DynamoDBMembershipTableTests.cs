using Amazon.DynamoDBv2.Model;
using Orleans;
using Orleans.Runtime;
using Personalization.TestSupport;

namespace Personalization.Orleans.Clustering.DynamoDB.Tests;

/// <summary>What the kit does not check: item layout, table creation, errors that must not look like an empty table,
/// cancellation, foreign cluster ids, the 400 KB limit and the plain (token-less) overloads.</summary>
[Collection(DynaliteCollection.Name)]
public sealed class DynamoDBMembershipTableTests(DynaliteFixture dynalite) : IDisposable
{
    private readonly MembershipFactory _factory = new(dynalite);

    private static CancellationToken None => CancellationToken.None;

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task Creates_the_table_and_keeps_the_cluster_in_one_item()
    {
        using var table = await _factory.CreateAsync();
        var entry = MembershipFactory.NewEntry();
        Assert.True(await table.InsertRowAsync(entry, (await table.ReadAllAsync(None)).Version.Next(), None));

        var description = await _factory.Client.DescribeTableAsync(_factory.Table);
        Assert.Equal(["ClusterId"], description.Table.KeySchema.Select(k => k.AttributeName));
        var scan = await _factory.Client.ScanAsync(new ScanRequest { TableName = _factory.Table });
        var item = Assert.Single(scan.Items);
        Assert.Equal($"test-service/{_factory.ClusterId}", item["ClusterId"].S);
        Assert.Equal("1", item["Version"].N);
        var row = Assert.Single(item["Rows"].M);
        Assert.Equal(entry.SiloAddress.ToParsableString(), row.Key);
        Assert.Contains("\"Status\":\"Joining\"", row.Value.M["Entry"].S);
        Assert.False(string.IsNullOrEmpty(row.Value.M["IAmAliveTime"].S));
    }

    [Fact]
    public async Task Parallel_initialization_leaves_one_version_row_and_a_second_does_not_reset_it()
    {
        var tables = Enumerable.Range(0, 5).Select(_ => _factory.Create()).ToList();
        await Task.WhenAll(tables.Select(t => t.InitializeMembershipTableAsync(true, None)));
        var entry = MembershipFactory.NewEntry();
        Assert.True(await tables[0].InsertRowAsync(entry, (await tables[0].ReadAllAsync(None)).Version.Next(), None));

        await tables[1].InitializeMembershipTableAsync(true, None);

        var data = await tables[2].ReadAllAsync(None);
        Assert.Equal(1, data.Version.Version);
        Assert.Single(data.Members);
        var scan = await _factory.Client.ScanAsync(new ScanRequest { TableName = _factory.Table });
        Assert.Single(scan.Items);
        tables.ForEach(t => t.Dispose());
    }

    [Fact]
    public async Task Clusters_sharing_a_table_do_not_see_each_other()
    {
        using var first = await _factory.CreateAsync();
        using var second = await _factory.CreateAsync(clusterId: "other-" + Guid.NewGuid().ToString("N"));
        Assert.True(await first.InsertRowAsync(MembershipFactory.NewEntry(), (await first.ReadAllAsync(None)).Version.Next(), None));

        Assert.Empty((await second.ReadAllAsync(None)).Members);
        Assert.Single((await first.ReadAllAsync(None)).Members);
    }

    [Fact]
    public async Task Reading_a_cluster_that_was_never_initialized_throws_instead_of_answering_empty()
    {
        using var initialized = await _factory.CreateAsync(); // creates the table
        using var table = _factory.Create(clusterId: "never-" + Guid.NewGuid().ToString("N"));

        await Assert.ThrowsAsync<DynamoDBMembershipException>(() => table.ReadAllAsync(None));
        await Assert.ThrowsAsync<DynamoDBMembershipException>(() => table.ReadRowAsync(MembershipFactory.NewEntry().SiloAddress, None));
    }

    [Fact]
    public async Task ReadRow_of_an_unknown_silo_returns_no_member_and_the_version()
    {
        using var table = await _factory.CreateAsync();
        Assert.True(await table.InsertRowAsync(MembershipFactory.NewEntry(), (await table.ReadAllAsync(None)).Version.Next(), None));

        var row = await table.ReadRowAsync(MembershipFactory.NewEntry().SiloAddress, None);

        Assert.Empty(row.Members);
        Assert.Equal((await table.ReadAllAsync(None)).Version, row.Version);
    }

    [Fact]
    public async Task Updating_a_missing_row_is_false_and_writes_nothing()
    {
        using var table = await _factory.CreateAsync();
        var before = await table.ReadAllAsync(None);

        Assert.False(await table.UpdateRowAsync(MembershipFactory.NewEntry(), before.Version.VersionEtag, before.Version.Next(), None));

        var after = await table.ReadAllAsync(None);
        Assert.Equal(before.Version, after.Version);
        Assert.Empty(after.Members);
    }

    [Fact]
    public async Task A_heartbeat_changes_neither_etag_nor_version_and_a_heartbeat_for_a_missing_row_throws()
    {
        using var table = await _factory.CreateAsync();
        var entry = MembershipFactory.NewEntry();
        Assert.True(await table.InsertRowAsync(entry, (await table.ReadAllAsync(None)).Version.Next(), None));
        var before = await table.ReadAllAsync(None);

        for (var i = 1; i <= 3; i++)
        {
            await table.UpdateIAmAliveAsync(new MembershipEntry { SiloAddress = entry.SiloAddress, IAmAliveTime = entry.IAmAliveTime.AddSeconds(30 * i) }, None);
        }

        var after = await table.ReadAllAsync(None);
        Assert.Equal(before.Version, after.Version);
        Assert.Equal(before.Members[0].Item2, after.Members[0].Item2);
        Assert.Equal(entry.IAmAliveTime.AddSeconds(90), after.Members[0].Item1.IAmAliveTime);
        Assert.Equal(DateTimeKind.Utc, after.Members[0].Item1.IAmAliveTime.Kind);

        await Assert.ThrowsAsync<DynamoDBMembershipException>(() =>
            table.UpdateIAmAliveAsync(new MembershipEntry { SiloAddress = MembershipFactory.NewEntry().SiloAddress, IAmAliveTime = DateTime.UtcNow }, None));
        Assert.Single((await table.ReadAllAsync(None)).Members); // the failed heartbeat created no row
    }

    [Fact]
    public async Task A_row_keeps_null_suspect_times_and_every_field()
    {
        using var table = await _factory.CreateAsync();
        var entry = MembershipFactory.NewEntry();
        entry.SuspectTimes = null;
        entry.StartTime = new DateTime(2026, 1, 2, 3, 4, 5, 678, DateTimeKind.Utc);
        Assert.True(await table.InsertRowAsync(entry, (await table.ReadAllAsync(None)).Version.Next(), None));

        var (stored, _) = Assert.Single((await table.ReadAllAsync(None)).Members);

        Assert.Null(stored.SuspectTimes);
        Assert.Equal(entry.ToFullString(), stored.ToFullString());
        Assert.Equal(
            (entry.SiloAddress, entry.ProxyPort, entry.HostName, entry.SiloName, entry.RoleName, entry.UpdateZone, entry.FaultZone, entry.StartTime),
            (stored.SiloAddress, stored.ProxyPort, stored.HostName, stored.SiloName, stored.RoleName, stored.UpdateZone, stored.FaultZone, stored.StartTime));
    }

    [Fact]
    public async Task Cleanup_with_nothing_to_remove_writes_nothing_and_a_missing_cluster_is_no_error()
    {
        using var table = await _factory.CreateAsync();
        var entry = MembershipFactory.NewEntry(DateTime.UtcNow.AddDays(-30));
        entry.Status = SiloStatus.Active;
        Assert.True(await table.InsertRowAsync(entry, (await table.ReadAllAsync(None)).Version.Next(), None));
        var before = await table.ReadAllAsync(None);

        await table.CleanupDefunctSiloEntriesAsync(DateTimeOffset.UtcNow, None);

        var after = await table.ReadAllAsync(None);
        Assert.Equal(before.Version, after.Version);
        Assert.Single(after.Members);
        using var never = _factory.Create(clusterId: "never-" + Guid.NewGuid().ToString("N"));
        await never.CleanupDefunctSiloEntriesAsync(DateTimeOffset.UtcNow, None);
    }

    [Fact]
    public async Task Cleanup_removes_many_defunct_rows_in_batches()
    {
        using var table = await _factory.CreateAsync();
        for (var i = 0; i < 120; i++)
        {
            var entry = MembershipFactory.NewEntry(DateTime.UtcNow.AddDays(-30));
            entry.Status = SiloStatus.Dead;
            Assert.True(await table.InsertRowAsync(entry, (await table.ReadAllAsync(None)).Version.Next(), None));
        }

        await table.CleanupDefunctSiloEntriesAsync(DateTimeOffset.UtcNow.AddDays(-1), None);

        Assert.Empty((await table.ReadAllAsync(None)).Members);
    }

    [Fact]
    public async Task Delete_with_a_foreign_cluster_id_throws_and_deletes_nothing()
    {
        using var table = await _factory.CreateAsync();
        Assert.True(await table.InsertRowAsync(MembershipFactory.NewEntry(), (await table.ReadAllAsync(None)).Version.Next(), None));

        await Assert.ThrowsAsync<ArgumentException>(() => table.DeleteMembershipTableEntriesAsync("someone-else", None));

        Assert.Single((await table.ReadAllAsync(None)).Members);
        await table.DeleteMembershipTableEntriesAsync(_factory.ClusterId, None);
        await Assert.ThrowsAsync<DynamoDBMembershipException>(() => table.ReadAllAsync(None));
    }

    [Fact]
    public async Task A_cancelled_token_is_honoured_and_writes_nothing()
    {
        using var table = await _factory.CreateAsync();
        var cancelled = new CancellationToken(canceled: true);
        var entry = MembershipFactory.NewEntry();
        var version = (await table.ReadAllAsync(None)).Version.Next();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => table.ReadAllAsync(cancelled));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => table.ReadRowAsync(entry.SiloAddress, cancelled));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => table.InsertRowAsync(entry, version, cancelled));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => table.UpdateIAmAliveAsync(entry, cancelled));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => table.CleanupDefunctSiloEntriesAsync(DateTimeOffset.UtcNow, cancelled));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => table.InitializeMembershipTableAsync(true, cancelled));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => table.DeleteMembershipTableEntriesAsync(_factory.ClusterId, cancelled));
        using var gateways = _factory.CreateGateways();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => gateways.GetGatewaysAsync(cancelled));

        Assert.Empty((await table.ReadAllAsync(None)).Members);
        Assert.True(await table.InsertRowAsync(entry, version, None)); // the version was not used up
    }

    [Fact]
    public async Task An_unreachable_endpoint_throws_and_is_never_an_empty_table_or_false()
    {
        using var unreachable = MembershipFactory.CreateClient(new Uri($"http://127.0.0.1:{NodeEmulator.FreeLoopbackPort()}"));
        using var table = _factory.Create(client: unreachable);
        var entry = MembershipFactory.NewEntry();
        var version = new TableVersion(0, "etag").Next();

        await Assert.ThrowsAsync<DynamoDBMembershipException>(() => table.InitializeMembershipTableAsync(true, None));
        await Assert.ThrowsAsync<DynamoDBMembershipException>(() => table.ReadAllAsync(None));
        await Assert.ThrowsAsync<DynamoDBMembershipException>(() => table.ReadRowAsync(entry.SiloAddress, None));
        await Assert.ThrowsAsync<DynamoDBMembershipException>(() => table.InsertRowAsync(entry, version, None));
        await Assert.ThrowsAsync<DynamoDBMembershipException>(() => table.UpdateRowAsync(entry, version.VersionEtag, version, None));
        await Assert.ThrowsAsync<DynamoDBMembershipException>(() => table.UpdateIAmAliveAsync(entry, None));
        await Assert.ThrowsAsync<DynamoDBMembershipException>(() => table.CleanupDefunctSiloEntriesAsync(DateTimeOffset.UtcNow, None));
        using var gateways = _factory.CreateGateways(unreachable);
        await Assert.ThrowsAsync<DynamoDBMembershipException>(() => gateways.GetGatewaysAsync(None));
    }

    [Fact]
    public async Task Stopping_dynalite_makes_reads_and_writes_throw()
    {
        var own = new DynaliteFixture();
        await own.InitializeAsync();
        using var factory = new MembershipFactory(own);
        using var table = await factory.CreateAsync();
        var entry = MembershipFactory.NewEntry();
        var version = (await table.ReadAllAsync(None)).Version.Next();

        await own.DisposeAsync();

        await Assert.ThrowsAsync<DynamoDBMembershipException>(() => table.ReadAllAsync(None));
        await Assert.ThrowsAsync<DynamoDBMembershipException>(() => table.InsertRowAsync(entry, version, None));
    }

    [Fact]
    public async Task A_row_over_400_KB_is_refused_before_calling_AWS()
    {
        using var table = await _factory.CreateAsync();
        var entry = MembershipFactory.NewEntry();
        entry.HostName = new string('h', 410 * 1024);

        var error = await Assert.ThrowsAsync<DynamoDBMembershipException>(async () =>
            await table.InsertRowAsync(entry, (await table.ReadAllAsync(None)).Version.Next(), None));

        Assert.Contains("400 KB", error.Message);
        Assert.Equal(0, (await table.ReadAllAsync(None)).Version.Version);
    }

    [Fact]
    public async Task A_write_that_would_grow_the_item_over_400_KB_fails_with_a_clear_error()
    {
        using var table = await _factory.CreateAsync();
        for (var i = 0; i < 3; i++)
        {
            var big = MembershipFactory.NewEntry();
            big.HostName = new string('h', 120 * 1024);
            Assert.True(await table.InsertRowAsync(big, (await table.ReadAllAsync(None)).Version.Next(), None));
        }

        var last = MembershipFactory.NewEntry();
        last.HostName = new string('h', 120 * 1024);
        var before = await table.ReadAllAsync(None);

        var error = await Assert.ThrowsAsync<DynamoDBMembershipException>(() => table.InsertRowAsync(last, before.Version.Next(), None));

        Assert.Contains("400 KB", error.Message);
        Assert.Equal(before.Version, (await table.ReadAllAsync(None)).Version);
    }

    [Fact]
    public async Task The_plain_overloads_forward_to_the_token_ones()
    {
        using var table = _factory.Create();
#pragma warning disable CS0618 // the obsolete overloads are what is under test
        await table.InitializeMembershipTable(true);
        var entry = MembershipFactory.NewEntry();
        var read = await table.ReadAll();
        Assert.True(await table.InsertRow(entry, read.Version.Next()));
        var row = await table.ReadRow(entry.SiloAddress);
        var (stored, etag) = Assert.Single(row.Members);
        stored.Status = SiloStatus.Dead;
        Assert.True(await table.UpdateRow(stored, etag, row.Version.Next()));
        await table.UpdateIAmAlive(new MembershipEntry { SiloAddress = entry.SiloAddress, IAmAliveTime = DateTime.UtcNow.AddDays(-9) });
        stored.StartTime = DateTime.UtcNow.AddDays(-9);
        await table.CleanupDefunctSiloEntries(DateTimeOffset.UtcNow.AddDays(-7));
        Assert.Single((await table.ReadAll()).Members); // StartTime stored before the update was recent
        await table.DeleteMembershipTableEntries(_factory.ClusterId);
        await Assert.ThrowsAsync<DynamoDBMembershipException>(() => table.ReadAll());
#pragma warning restore CS0618
    }
}
