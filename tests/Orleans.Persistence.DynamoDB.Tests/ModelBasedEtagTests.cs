using Orleans.Runtime;
using Orleans.Storage;
using Personalization.TestSupport;

namespace Personalization.Orleans.Persistence.DynamoDB.Tests;

/// <summary>
/// In the spirit of Orleans' GrainStorageModelBasedTestRunner: every sequence of up to three writes and clears, each
/// with a null, the current or a stale ETag, is run against the storage and against a model of the ETag contract;
/// after each step the outcome (success or InconsistentStateException) and a read must match the model.
/// Depth 3 rather than the kit's 4 keeps it to seconds on dynalite.
/// </summary>
[Collection(DynaliteCollection.Name)]
public sealed class ModelBasedEtagTests(DynaliteFixture dynalite) : IDisposable
{
    private enum Op { Write, Clear }

    private enum Etag { Null, Current, Stale }

    private readonly StorageFactory _factory = new(dynalite);

    public void Dispose() => _factory.Dispose();

    [Theory, InlineData(true), InlineData(false)]
    public async Task Every_sequence_of_three_operations_follows_the_etag_contract(bool deleteOnClear)
    {
        var (storage, _) = await _factory.CreateAsync(o => o.DeleteStateOnClear = deleteOnClear);
        var steps = (from op in new[] { Op.Write, Op.Clear } from etag in new[] { Etag.Null, Etag.Current, Etag.Stale } select (op, etag)).ToArray();
        var sequences = new List<(Op, Etag)[]>();
        foreach (var a in steps)
        {
            sequences.Add([a]);
            foreach (var b in steps)
            {
                sequences.Add([a, b]);
                sequences.AddRange(steps.Select(c => new[] { a, b, c }));
            }
        }

        // Independent grains, so sequences can run side by side (a few at a time: dynalite is single-threaded).
        await Parallel.ForEachAsync(sequences, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (sequence, _) =>
            await RunAsync(storage, deleteOnClear, sequence));
    }

    private static async Task RunAsync(IGrainStorage storage, bool deleteOnClear, (Op Op, Etag Etag)[] sequence)
    {
        var grain = GrainId.Create("modelgrain", Guid.NewGuid().ToString("N"));
        var describe = string.Join(" → ", sequence.Select(s => $"{s.Op}({s.Etag})"));

        // Model: whether an item exists (live or tombstone), whether it holds state, its ETag, and ETags seen before.
        var itemExists = false;
        var live = false;
        string? current = null;
        var history = new List<string>();
        var value = 0;

        foreach (var (op, etagChoice) in sequence)
        {
            var etag = etagChoice switch
            {
                Etag.Null => null,
                Etag.Current => current,
                _ => history.LastOrDefault(h => h != current) ?? "never-issued",
            };
            var accepted = etag is null ? !itemExists : itemExists && etag == current;
            var state = new GrainState<TestState>(new TestState { Count = ++value }) { ETag = etag };
            try
            {
                if (op == Op.Write)
                {
                    await storage.WriteStateAsync("state", grain, state, CancellationToken.None);
                }
                else
                {
                    await storage.ClearStateAsync("state", grain, state, CancellationToken.None);
                }

                Assert.True(accepted, $"{describe}: {op}({etagChoice}) should have been refused");
            }
            catch (InconsistentStateException)
            {
                Assert.False(accepted, $"{describe}: {op}({etagChoice}) should have succeeded");
            }

            if (accepted)
            {
                if (current is not null)
                {
                    history.Add(current);
                }

                live = op == Op.Write;
                itemExists = live || !deleteOnClear;
                current = itemExists ? state.ETag : null;
                Assert.True(itemExists ? !string.IsNullOrEmpty(state.ETag) && !history.Contains(state.ETag) : state.ETag is null, $"{describe}: new ETag");
                Assert.Equal(live, state.RecordExists);
            }

            var read = new GrainState<TestState>(new TestState { Count = -1 }) { ETag = "stale", RecordExists = true };
            await storage.ReadStateAsync("state", grain, read, CancellationToken.None);
            Assert.True((live, current) == (read.RecordExists, read.ETag), $"{describe}: after {op}({etagChoice}) read ({read.RecordExists}, {read.ETag}), model ({live}, {current})");
            if (!live)
            {
                Assert.Equal(0, read.State.Count);
            }
        }
    }
}
