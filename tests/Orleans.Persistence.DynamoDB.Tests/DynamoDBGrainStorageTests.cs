using System.Diagnostics.Metrics;
using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Orleans.Runtime;
using Orleans.Storage;
using Personalization.TestSupport;

namespace Personalization.Orleans.Persistence.DynamoDB.Tests;

/// <summary>
/// The old runtime's DynamoDBGrainStorageTests (e6799f9) ported to the Orleans contract, plus what is specific to
/// this provider: item shape, 400 KB limit, ServiceId prefix, TTL, table creation, error mapping.
/// </summary>
[Collection(DynaliteCollection.Name)]
public sealed class DynamoDBGrainStorageTests(DynaliteFixture dynalite) : IDisposable
{
    private static readonly GrainId Grain = GrainId.Create("usergrain", "user-1");
    private readonly StorageFactory _factory = new(dynalite);

    public void Dispose() => _factory.Dispose();

    private static GrainState<TestState> State(string name, string? etag = null) => new(new TestState { Name = name }) { ETag = etag };

    // Ported: Creates_the_table_and_round_trips_state_with_numeric_etags (ETags are GUIDs now, see the ABA note).
    [Fact]
    public async Task Creates_the_table_with_the_Orleans_key_schema_and_round_trips_state_with_random_etags()
    {
        var (storage, table) = await _factory.CreateAsync();
        var state = State("a");

        await storage.ReadStateAsync("profile", Grain, state, default);
        Assert.Equal((null, false), (state.ETag, state.RecordExists));
        await storage.WriteStateAsync("profile", Grain, state, default);
        var first = state.ETag;
        state.State.Name = "b";
        await storage.WriteStateAsync("profile", Grain, state, default);
        var read = State("stale");
        await storage.ReadStateAsync("profile", Grain, read, default);

        Assert.Equal(("b", state.ETag, true), (read.State.Name, read.ETag, read.RecordExists));
        Assert.True(Guid.TryParseExact(first, "N", out _) && Guid.TryParseExact(state.ETag, "N", out _));
        Assert.NotEqual(first, state.ETag);
        var description = await _factory.Client.DescribeTableAsync(table);
        Assert.Equal(["GrainReference", "GrainType"], description.Table.KeySchema.Select(k => k.AttributeName));
        Assert.Equal(BillingMode.PAY_PER_REQUEST, description.Table.BillingModeSummary?.BillingMode ?? BillingMode.PAY_PER_REQUEST);
        var item = await _factory.RawItemAsync(table, "test-service_usergrain/user-1", "profile");
        Assert.NotNull(item);
        Assert.Equal(state.ETag, item["ETag"].S);
        Assert.Contains("\"Name\":\"b\"", System.Text.Encoding.UTF8.GetString(item["BinaryState"].B.ToArray()));
        Assert.False(item.ContainsKey("expires_at"));
    }

    // Ported: Stale_and_duplicate_first_writes_are_conflicts.
    [Fact]
    public async Task Stale_and_duplicate_first_writes_are_conflicts()
    {
        var (storage, _) = await _factory.CreateAsync();
        var state = State("1");
        await storage.WriteStateAsync("profile", Grain, state, default);
        var stale = state.ETag;
        state.State.Name = "2";
        await storage.WriteStateAsync("profile", Grain, state, default);

        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("profile", Grain, State("3", stale), default));
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("profile", Grain, State("3"), default));
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.ClearStateAsync("profile", Grain, State("3", stale), default));
        var read = State("x");
        await storage.ReadStateAsync("profile", Grain, read, default);
        Assert.Equal("2", read.State.Name);
    }

    [Fact]
    public async Task An_activation_may_write_again_over_its_own_write_whose_response_was_lost_but_not_over_another_activations()
    {
        var (storage, table) = await _factory.CreateAsync();
        storage.CurrentWriter = () => "activation-a";

        // A first write applied by DynamoDB whose response never came back: the grain still holds no ETag.
        var grain = State("1");
        await storage.WriteStateAsync("profile", Grain, State("1"), default);
        grain.State.Name = "2";
        await storage.WriteStateAsync("profile", Grain, grain, default);

        // Again for a later write: the grain holds the ETag that lost write replaced.
        var before = grain.ETag;
        await storage.WriteStateAsync("profile", Grain, State("3", before), default);
        grain.State.Name = "4";
        await storage.WriteStateAsync("profile", Grain, grain, default);
        var item = await _factory.RawItemAsync(table, "test-service_usergrain/user-1", "profile");
        Assert.Equal((grain.ETag, before, "activation-a"), (item!["ETag"].S, item["PriorETag"].S, item["Writer"].S));

        // Another activation holding an ETag that this one has written over is refused, as is one holding no ETag.
        var stale = grain.ETag;
        grain.State.Name = "5";
        await storage.WriteStateAsync("profile", Grain, grain, default);
        storage.CurrentWriter = () => "activation-b";
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("profile", Grain, State("6", stale), default));
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("profile", Grain, State("6"), default));

        // And the first activation cannot reach back past a write that was not its own.
        await storage.WriteStateAsync("profile", Grain, State("7", grain.ETag), default);
        storage.CurrentWriter = () => "activation-a";
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("profile", Grain, grain, default));
        var read = State("x");
        await storage.ReadStateAsync("profile", Grain, read, default);
        Assert.Equal("7", read.State.Name);
    }

    [Fact]
    public async Task Conflicts_do_not_carry_the_AWS_exception()
    {
        var (storage, _) = await _factory.CreateAsync();
        await storage.WriteStateAsync("profile", Grain, State("1"), default);

        var error = await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("profile", Grain, State("2"), default));

        // AWS exception types do not survive Orleans' exception serialization (dotnet/orleans #7721).
        Assert.Null(error.InnerException);
        Assert.Contains("already exists", error.Message);
        Assert.DoesNotContain("user-1", error.Message); // grain keys are user ids: kept out of messages and logs
    }

    // Ported: Clear_deletes_the_item.
    [Fact]
    public async Task Clear_deletes_the_item()
    {
        var (storage, table) = await _factory.CreateAsync();
        var state = State("1");
        await storage.WriteStateAsync("profile", Grain, state, default);

        await storage.ClearStateAsync("profile", Grain, state, default);

        Assert.Null(await _factory.RawItemAsync(table, "test-service_usergrain/user-1", "profile"));
        var fresh = State("again");
        await storage.WriteStateAsync("profile", Grain, fresh, default);
        Assert.NotNull(fresh.ETag);
    }

    [Fact]
    public async Task Retained_clear_keeps_a_tombstone_without_state()
    {
        var (storage, table) = await _factory.CreateAsync(o => o.DeleteStateOnClear = false);
        var state = State("1");
        await storage.WriteStateAsync("profile", Grain, state, default);

        await storage.ClearStateAsync("profile", Grain, state, default);

        var item = await _factory.RawItemAsync(table, "test-service_usergrain/user-1", "profile");
        Assert.NotNull(item);
        Assert.Equal(state.ETag, item["ETag"].S);
        Assert.False(item.ContainsKey("BinaryState"));
    }

    // Ported: State_over_400_KiB_is_rejected_before_calling_AWS, now with the metric.
    [Fact]
    public async Task State_over_400_KB_is_rejected_before_calling_AWS_and_counted()
    {
        var storageName = "too-large-" + Guid.NewGuid().ToString("N");
        var refused = 0L;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument is { Name: DynamoDBGrainStorage.TooLargeCounterName, Meter.Name: DynamoDBGrainStorage.MeterName })
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag is { Key: "storage", Value: string name } && name == storageName)
                {
                    Interlocked.Add(ref refused, value);
                }
            }
        });
        listener.Start();

        // No table and no Init: any call to AWS would fail with ResourceNotFound, so the size error proves none was made.
        var table = StorageFactory.NewTableName();
        var storage = _factory.Create(new DynamoDBGrainStorageOptions { TableName = table, GrainStorageSerializer = new SystemTextJsonStorageSerializer() }, name: storageName);
        var error = await Assert.ThrowsAsync<GrainStateTooLargeException>(
            () => storage.WriteStateAsync("profile", Grain, State(new string('x', 410_000)), default));

        Assert.Contains("400 KB", error.Message);
        Assert.Equal(1, Interlocked.Read(ref refused));
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => _factory.Client.DescribeTableAsync(table));

        // Just under the limit is written (the size is counted as DynamoDB counts it, not rounded down to 400 000).
        var (real, realTable) = await _factory.CreateAsync(name: storageName);
        var big = State(new string('y', 400_000));
        await real.WriteStateAsync("profile", Grain, big, default);
        var item = await _factory.RawItemAsync(realTable, "test-service_usergrain/user-1", "profile");
        Assert.True(item!["BinaryState"].B.Length > 400_000);
        var read = State("");
        await real.ReadStateAsync("profile", Grain, read, default);
        Assert.Equal(400_000, read.State.Name!.Length);
        Assert.Equal(1, Interlocked.Read(ref refused));
    }

    [Fact]
    public async Task Service_ids_prefix_keys_so_two_services_sharing_a_table_do_not_see_each_other()
    {
        var (blue, table) = await _factory.CreateAsync(serviceId: "blue");
        var (green, _) = await _factory.CreateAsync(serviceId: "green", table: table);

        await blue.WriteStateAsync("profile", Grain, State("blue"), default);
        var seenByGreen = State("x");
        await green.ReadStateAsync("profile", Grain, seenByGreen, default);
        Assert.Equal((false, null), (seenByGreen.RecordExists, seenByGreen.ETag));

        // Green writes its own record as a first write (null ETag) without conflicting with blue's.
        await green.WriteStateAsync("profile", Grain, State("green"), default);
        var seenByBlue = State("x");
        await blue.ReadStateAsync("profile", Grain, seenByBlue, default);
        Assert.Equal("blue", seenByBlue.State.Name);
        Assert.NotNull(await _factory.RawItemAsync(table, "blue_usergrain/user-1", "profile"));
        Assert.NotNull(await _factory.RawItemAsync(table, "green_usergrain/user-1", "profile"));
    }

    // Ported: Writes_the_ttl_attribute_when_configured (attribute now expires_at by default).
    [Fact]
    public async Task Writes_the_ttl_attribute_when_configured()
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var (storage, table) = await _factory.CreateAsync(o => o.TimeToLive = TimeSpan.FromDays(1), clock: clock);

        await storage.WriteStateAsync("profile", Grain, State("1"), default);

        var item = await _factory.RawItemAsync(table, "test-service_usergrain/user-1", "profile");
        Assert.Equal(
            new DateTimeOffset(2026, 1, 2, 0, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
            item!["expires_at"].N);
    }

    [Fact]
    public async Task Expired_state_not_yet_deleted_by_DynamoDB_reads_as_missing_and_can_be_overwritten()
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var (storage, _) = await _factory.CreateAsync(o => o.TimeToLive = TimeSpan.FromHours(1), clock: clock);
        await storage.WriteStateAsync("profile", Grain, State("old"), default);

        clock.SetUtcNow(new DateTimeOffset(2026, 1, 1, 2, 0, 0, TimeSpan.Zero));
        var read = State("stale");
        await storage.ReadStateAsync("profile", Grain, read, default);

        // DynamoDB deletes expired items lazily (up to days later); until then the item still holds an ETag.
        Assert.Equal((false, (string?)null), (read.RecordExists, read.State.Name));
        Assert.NotNull(read.ETag);
        read.State.Name = "new";
        await storage.WriteStateAsync("profile", Grain, read, default);
        var again = State("x");
        await storage.ReadStateAsync("profile", Grain, again, default);
        Assert.Equal(("new", true), (again.State.Name, again.RecordExists));
    }

    [Fact]
    public async Task Without_CreateIfNotExists_no_table_is_created_and_calls_fail_with_a_readable_error()
    {
        var table = StorageFactory.NewTableName();
        var storage = _factory.Create(new DynamoDBGrainStorageOptions { TableName = table, GrainStorageSerializer = new SystemTextJsonStorageSerializer() });

        await storage.InitAsync(default);
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => _factory.Client.DescribeTableAsync(table));
        var error = await Assert.ThrowsAsync<DynamoDBGrainStorageException>(() => storage.ReadStateAsync("profile", Grain, State("x"), default));

        Assert.Contains("ResourceNotFoundException", error.Message);
        Assert.Contains(table, error.Message);
        Assert.Null(error.InnerException);
    }

    [Fact]
    public async Task Silos_creating_the_same_table_at_once_all_start()
    {
        var table = StorageFactory.NewTableName();

        // Whoever loses the CreateTable race gets ResourceInUse, which must not fail its start.
        var storages = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => _factory.CreateAsync(table: table)));

        await storages[0].Storage.WriteStateAsync("profile", Grain, State("1"), default);
        var read = State("x");
        await storages[3].Storage.ReadStateAsync("profile", Grain, read, default);
        Assert.Equal("1", read.State.Name);
    }

    [Fact]
    public async Task An_injected_client_is_not_disposed_with_the_storage()
    {
        var (storage, table) = await _factory.CreateAsync();

        storage.Dispose();

        Assert.Equal(table, (await _factory.Client.DescribeTableAsync(table)).Table.TableName);
    }

    [Fact]
    public async Task Cancellation_passes_through_unwrapped()
    {
        var (storage, _) = await _factory.CreateAsync();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => storage.WriteStateAsync("profile", Grain, State("1"), cancelled.Token));
    }

    [Theory]
    [InlineData("")]
    [InlineData("a")]
    [InlineData("has space")]
    public void Invalid_table_names_are_refused_at_configuration(string table)
    {
        var error = Assert.Throws<OrleansConfigurationException>(
            () => _factory.Create(new DynamoDBGrainStorageOptions { TableName = table, GrainStorageSerializer = new SystemTextJsonStorageSerializer() }));

        Assert.Contains("TableName", error.Message);
    }

    [Fact]
    public void A_missing_serializer_is_refused_at_configuration()
    {
        var error = Assert.Throws<OrleansConfigurationException>(() => _factory.Create(new DynamoDBGrainStorageOptions()));

        Assert.Contains("GrainStorageSerializer", error.Message);
    }

    [Fact]
    public async Task Keys_over_DynamoDBs_byte_limits_are_refused_before_calling_AWS()
    {
        var (storage, _) = await _factory.CreateAsync();

        // 700 Cyrillic characters are 1400 UTF-8 bytes: under 1024 characters, over DynamoDB's 1024-byte range key.
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(
            () => storage.WriteStateAsync(new string('ж', 700), Grain, State("1"), default));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(
            () => storage.ReadStateAsync("profile", GrainId.Create("usergrain", new string('ж', 1100)), State("1"), default));
    }
}
