using Orleans.Runtime;
using Orleans.Storage;
using Personalization.TestSupport;

namespace Personalization.Orleans.Persistence.DynamoDB.Tests;

/// <summary>
/// The cases of Orleans' grain storage test kit (GrainStorageTestRunner, prefix PersistenceStorage_), each run with
/// clear-deletes (<c>true</c>) and clear-keeps-a-tombstone (<c>false</c>).
/// </summary>
[Collection(DynaliteCollection.Name)]
public sealed class GrainStorageContractTests(DynaliteFixture dynalite) : IDisposable
{
    private const string StateName = "state";
    private readonly StorageFactory _factory = new(dynalite);

    public void Dispose() => _factory.Dispose();

    private Task<(DynamoDBGrainStorage Storage, string Table)> StorageAsync(bool deleteOnClear) =>
        _factory.CreateAsync(o => o.DeleteStateOnClear = deleteOnClear);

    private static GrainId NewGrain(string? key = null) => GrainId.Create("testgrain", key ?? Guid.NewGuid().ToString("N"));

    private static GrainState<TestState> State(string name, int count = 0, string? etag = null) =>
        new(new TestState { Name = name, Count = count, Items = [name, "x"] }) { ETag = etag };

    private static async Task<GrainState<TestState>> ReadAsync(IGrainStorage storage, GrainId grain, string stateName = StateName)
    {
        // Stale input on purpose: a read must overwrite all three fields.
        var state = new GrainState<TestState>(new TestState { Name = "stale", Count = -1 }) { ETag = "stale", RecordExists = true };
        await storage.ReadStateAsync(stateName, grain, state, CancellationToken.None);
        return state;
    }

    [Theory, InlineData(true), InlineData(false)]
    public async Task WriteReadIdCyrillic(bool deleteOnClear)
    {
        var (storage, _) = await StorageAsync(deleteOnClear);
        var grain = NewGrain("ёжик-Привет-" + Guid.NewGuid().ToString("N"));
        var written = State("Кириллица", 7);

        await storage.WriteStateAsync(StateName, grain, written, CancellationToken.None);
        var read = await ReadAsync(storage, grain);

        Assert.True(read.RecordExists);
        Assert.Equal(written.ETag, read.ETag);
        Assert.Equal(("Кириллица", 7), (read.State.Name, read.State.Count));
        Assert.Equal(["Кириллица", "x"], read.State.Items);
    }

    [Theory, InlineData(true), InlineData(false)]
    public async Task WriteDuplicateFailsWithInconsistentStateException(bool deleteOnClear)
    {
        var (storage, _) = await StorageAsync(deleteOnClear);
        var grain = NewGrain();
        await storage.WriteStateAsync(StateName, grain, State("first"), CancellationToken.None);

        // A second activation that also believes there is no record yet.
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync(StateName, grain, State("second"), CancellationToken.None));
        Assert.Equal("first", (await ReadAsync(storage, grain)).State.Name);
    }

    [Theory, InlineData(true), InlineData(false)]
    public async Task WriteInconsistentFailsWithInconsistentStateException(bool deleteOnClear)
    {
        var (storage, _) = await StorageAsync(deleteOnClear);
        var grain = NewGrain();
        var state = State("first");
        await storage.WriteStateAsync(StateName, grain, state, CancellationToken.None);

        var error = await Assert.ThrowsAsync<InconsistentStateException>(
            () => storage.WriteStateAsync(StateName, grain, State("other", etag: "not-the-etag"), CancellationToken.None));

        Assert.Equal("not-the-etag", error.CurrentEtag);
        var read = await ReadAsync(storage, grain);
        Assert.Equal(("first", state.ETag), (read.State.Name, read.ETag));
    }

    [Theory, InlineData(true), InlineData(false)]
    public async Task WriteReadWriteReadStatesInParallel(bool deleteOnClear)
    {
        var (storage, _) = await StorageAsync(deleteOnClear);

        // 100 grains, each written and read back 10 times; the grains run concurrently.
        await Task.WhenAll(Enumerable.Range(0, 100).Select(async g =>
        {
            var grain = NewGrain($"parallel-{g}-{Guid.NewGuid():N}");
            var state = State($"grain-{g}");
            for (var i = 0; i < 10; i++)
            {
                state.State.Count = i;
                await storage.WriteStateAsync(StateName, grain, state, CancellationToken.None);
                var read = await ReadAsync(storage, grain);
                Assert.Equal((i, state.ETag, true), (read.State.Count, read.ETag, read.RecordExists));
            }
        }));
    }

    [Theory, InlineData(true), InlineData(false)]
    public async Task ReadNonExistentStateHasNonNullState(bool deleteOnClear)
    {
        var (storage, _) = await StorageAsync(deleteOnClear);

        var read = await ReadAsync(storage, NewGrain());

        Assert.NotNull(read.State);
        Assert.Equal((null, 0, null, false), (read.State.Name, read.State.Count, read.ETag, read.RecordExists));
    }

    [Theory, InlineData(true), InlineData(false)]
    public async Task WriteClearWrite(bool deleteOnClear)
    {
        var (storage, _) = await StorageAsync(deleteOnClear);
        var grain = NewGrain();
        var state = State("one");
        await storage.WriteStateAsync(StateName, grain, state, CancellationToken.None);
        await storage.ClearStateAsync(StateName, grain, state, CancellationToken.None);

        state.State = new TestState { Name = "two" };
        await storage.WriteStateAsync(StateName, grain, state, CancellationToken.None);

        var read = await ReadAsync(storage, grain);
        Assert.Equal(("two", state.ETag, true), (read.State.Name, read.ETag, read.RecordExists));
    }

    [Theory, InlineData(true), InlineData(false)]
    public async Task WriteClearRead(bool deleteOnClear)
    {
        var (storage, _) = await StorageAsync(deleteOnClear);
        var grain = NewGrain();
        var state = State("one");
        await storage.WriteStateAsync(StateName, grain, state, CancellationToken.None);
        await storage.ClearStateAsync(StateName, grain, state, CancellationToken.None);

        var read = await ReadAsync(storage, grain);

        Assert.False(read.RecordExists);
        Assert.Null(read.State.Name);
        Assert.Equal(state.ETag, read.ETag); // null after a delete, the tombstone's after a retained clear
    }

    [Theory, InlineData(true), InlineData(false)]
    public async Task WriteReadClearReadCycle(bool deleteOnClear)
    {
        var (storage, _) = await StorageAsync(deleteOnClear);
        var grain = NewGrain();
        var state = State("cycle");
        for (var i = 0; i < 3; i++)
        {
            state.State = new TestState { Name = "cycle", Count = i };
            await storage.WriteStateAsync(StateName, grain, state, CancellationToken.None);
            Assert.Equal(i, (await ReadAsync(storage, grain)).State.Count);

            await storage.ClearStateAsync(StateName, grain, state, CancellationToken.None);
            var cleared = await ReadAsync(storage, grain);
            Assert.Equal((false, 0, state.ETag), (cleared.RecordExists, cleared.State.Count, cleared.ETag));
        }
    }

    [Theory, InlineData(true), InlineData(false)]
    public async Task WriteRead_StringKey(bool deleteOnClear)
    {
        var (storage, _) = await StorageAsync(deleteOnClear);
        var grain = GrainId.Create("stringgrain", "user:" + Guid.NewGuid().ToString("N") + "/with spaces & symbols");
        var state = State("string-key");

        await storage.WriteStateAsync(StateName, grain, state, CancellationToken.None);

        Assert.Equal("string-key", (await ReadAsync(storage, grain)).State.Name);
    }

    [Theory, InlineData(true), InlineData(false)]
    public async Task WriteRead_IntegerKey(bool deleteOnClear)
    {
        var (storage, _) = await StorageAsync(deleteOnClear);
        var grain = GrainId.Create(GrainType.Create("integergrain"), GrainIdKeyExtensions.CreateIntegerKey(Random.Shared.NextInt64()));
        var state = State("integer-key");

        await storage.WriteStateAsync(StateName, grain, state, CancellationToken.None);

        Assert.Equal("integer-key", (await ReadAsync(storage, grain)).State.Name);
    }

    [Theory, InlineData(true), InlineData(false)]
    public async Task ETagChangesOnWrite(bool deleteOnClear)
    {
        var (storage, _) = await StorageAsync(deleteOnClear);
        var grain = NewGrain();
        var state = State("a");
        var etags = new List<string?>();
        for (var i = 0; i < 5; i++)
        {
            state.State.Count = i;
            await storage.WriteStateAsync(StateName, grain, state, CancellationToken.None);
            Assert.False(string.IsNullOrEmpty(state.ETag));
            Assert.True(state.RecordExists);
            etags.Add(state.ETag);
        }

        Assert.Equal(5, etags.Distinct().Count());
    }

    [Theory, InlineData(true), InlineData(false)]
    public async Task WriteWithSameValuesUpdatesETag(bool deleteOnClear)
    {
        var (storage, _) = await StorageAsync(deleteOnClear);
        var grain = NewGrain();
        var state = State("same");
        await storage.WriteStateAsync(StateName, grain, state, CancellationToken.None);
        var first = state.ETag;

        await storage.WriteStateAsync(StateName, grain, state, CancellationToken.None);

        Assert.NotEqual(first, state.ETag);
        Assert.Equal(state.ETag, (await ReadAsync(storage, grain)).ETag);
    }

    [Theory, InlineData(true), InlineData(false)]
    public async Task ClearBeforeWrite(bool deleteOnClear)
    {
        var (storage, _) = await StorageAsync(deleteOnClear);
        var grain = NewGrain();
        var state = new GrainState<TestState>(new TestState());

        await storage.ClearStateAsync(StateName, grain, state, CancellationToken.None);
        Assert.False(state.RecordExists);

        state.State = new TestState { Name = "after-clear" };
        await storage.WriteStateAsync(StateName, grain, state, CancellationToken.None);
        Assert.Equal("after-clear", (await ReadAsync(storage, grain)).State.Name);
    }

    [Theory, InlineData(true), InlineData(false)]
    public async Task ClearStateDoesNotNullifyState(bool deleteOnClear)
    {
        var (storage, _) = await StorageAsync(deleteOnClear);
        var grain = NewGrain();
        var state = State("x");
        await storage.WriteStateAsync(StateName, grain, state, CancellationToken.None);

        await storage.ClearStateAsync(StateName, grain, state, CancellationToken.None);

        Assert.NotNull(state.State);
        Assert.Equal((null, 0, false), (state.State.Name, state.State.Count, state.RecordExists));
    }

    [Theory, InlineData(true), InlineData(false)]
    public async Task ClearUpdatesETag(bool deleteOnClear)
    {
        var (storage, _) = await StorageAsync(deleteOnClear);
        var grain = NewGrain();
        var state = State("x");
        await storage.WriteStateAsync(StateName, grain, state, CancellationToken.None);
        var written = state.ETag;

        await storage.ClearStateAsync(StateName, grain, state, CancellationToken.None);

        if (deleteOnClear)
        {
            Assert.Null(state.ETag);
        }
        else
        {
            Assert.False(string.IsNullOrEmpty(state.ETag));
            Assert.NotEqual(written, state.ETag);
        }

        // The pre-clear ETag is stale either way.
        await Assert.ThrowsAsync<InconsistentStateException>(
            () => storage.WriteStateAsync(StateName, grain, State("stale", etag: written), CancellationToken.None));
    }

    [Theory, InlineData(true), InlineData(false)]
    public async Task ReadAfterClear(bool deleteOnClear)
    {
        var (storage, _) = await StorageAsync(deleteOnClear);
        var grain = NewGrain();
        var state = State("x", 3);
        await storage.WriteStateAsync(StateName, grain, state, CancellationToken.None);
        await storage.ClearStateAsync(StateName, grain, state, CancellationToken.None);

        var read = await ReadAsync(storage, grain);

        Assert.Equal((false, 0, state.ETag), (read.RecordExists, read.State.Count, read.ETag));

        // Writing with what the read returned works (a retained tombstone's ETag included).
        read.State.Count = 9;
        await storage.WriteStateAsync(StateName, grain, read, CancellationToken.None);
        Assert.Equal(9, (await ReadAsync(storage, grain)).State.Count);
    }

    [Theory, InlineData(true), InlineData(false)]
    public async Task MultipleClearOperations(bool deleteOnClear)
    {
        var (storage, _) = await StorageAsync(deleteOnClear);
        var grain = NewGrain();
        var state = State("x");
        await storage.WriteStateAsync(StateName, grain, state, CancellationToken.None);

        for (var i = 0; i < 3; i++)
        {
            await storage.ClearStateAsync(StateName, grain, state, CancellationToken.None);
            Assert.False(state.RecordExists);
        }

        Assert.False((await ReadAsync(storage, grain)).RecordExists);
    }

    [Theory, InlineData(true), InlineData(false)]
    public async Task ClearInconsistentFailsWithInconsistentStateException(bool deleteOnClear)
    {
        var (storage, _) = await StorageAsync(deleteOnClear);
        var grain = NewGrain();
        var state = State("one");
        await storage.WriteStateAsync(StateName, grain, state, CancellationToken.None);
        var stale = state.ETag;
        state.State.Name = "two";
        await storage.WriteStateAsync(StateName, grain, state, CancellationToken.None);

        await Assert.ThrowsAsync<InconsistentStateException>(
            () => storage.ClearStateAsync(StateName, grain, State("stale", etag: stale), CancellationToken.None));
        // A null ETag (an activation that never saw the record) may not clear it either.
        await Assert.ThrowsAsync<InconsistentStateException>(
            () => storage.ClearStateAsync(StateName, grain, State("none"), CancellationToken.None));

        var read = await ReadAsync(storage, grain);
        Assert.Equal(("two", state.ETag, true), (read.State.Name, read.ETag, read.RecordExists));
    }

    [Theory, InlineData(true), InlineData(false)]
    public async Task StateNamesUseIndependentRecords(bool deleteOnClear)
    {
        var (storage, _) = await StorageAsync(deleteOnClear);
        var grain = NewGrain();
        var profile = State("profile");
        var cart = State("cart");
        await storage.WriteStateAsync("profile", grain, profile, CancellationToken.None);
        await storage.WriteStateAsync("cart", grain, cart, CancellationToken.None);

        await storage.ClearStateAsync("cart", grain, cart, CancellationToken.None);

        Assert.Equal(("profile", profile.ETag), ((await ReadAsync(storage, grain, "profile")).State.Name, (await ReadAsync(storage, grain, "profile")).ETag));
        Assert.False((await ReadAsync(storage, grain, "cart")).RecordExists);
        Assert.False((await ReadAsync(storage, grain, "other")).RecordExists);
    }

    [Fact]
    public async Task Retained_tombstone_refuses_a_write_that_expects_no_record()
    {
        var (storage, _) = await StorageAsync(deleteOnClear: false);
        var grain = NewGrain();
        var state = State("x");
        await storage.WriteStateAsync(StateName, grain, state, CancellationToken.None);
        await storage.ClearStateAsync(StateName, grain, state, CancellationToken.None);

        await Assert.ThrowsAsync<InconsistentStateException>(
            () => storage.WriteStateAsync(StateName, grain, State("fresh-activation"), CancellationToken.None));
    }
}
