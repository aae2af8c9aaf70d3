using BenchmarkDotNet.Attributes;
using Personalization.Runtime;
using Personalization.Runtime.Testing;

namespace Personalization.Benchmarks.Runtime;

/// <summary>
/// The grain runtime's hot path: a call through a generated reference to an active, idle local grain that returns
/// a completed result; and creating a new activation (GetGrain with a fresh key + first call).
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class GrainCallBenchmarks
{
    private InProcessSilo _silo = null!;
    private IBenchGrain _grain = null!;
    private int _nextKey;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        // Cap activations so the activation benchmark's memory stays bounded (the LRU sweep is part of its cost).
        _silo = await InProcessSilo.StartAsync(new InProcessSiloOptions { ConfigureRuntime = o => o.MaxActivationsPerType = 10_000 });
        _grain = _silo.GrainFactory.GetGrain<IBenchGrain>("hot");
        await _grain.GetCachedAsync();
    }

    [GlobalCleanup]
    public Task CleanupAsync() => _silo.DisposeAsync().AsTask();

    [Benchmark(Baseline = true)]
    public Task<int> CallActiveGrain_CachedTask() => _grain.GetCachedAsync();

    [Benchmark]
    public ValueTask<int> CallActiveGrain_ValueTask() => _grain.GetValueAsync();

    [Benchmark]
    public ValueTask<int> CallActiveGrain_ReadOnly() => _grain.ReadValueAsync();

    /// <summary>The usual request pattern: a fresh reference per call (the reference is the one allocation).</summary>
    [Benchmark]
    public Task<int> GetGrainThenCall() => _silo.GrainFactory.GetGrain<IBenchGrain>("hot").GetCachedAsync();

    [Benchmark]
    public Task<int> ActivateNewGrain() =>
        _silo.GrainFactory.GetGrain<IBenchGrain>("new-" + Interlocked.Increment(ref _nextKey)).GetCachedAsync();
}
