using BenchmarkDotNet.Attributes;

namespace Personalization.Benchmarks.Runtime;

/// <summary>
/// Orleans' hot path inside one silo: a call through a generated reference to an active, idle local grain that returns
/// a completed result; a fresh reference per call; and activation churn (GetGrain with a fresh key, first call, and the
/// deactivation it asks for, amortized). Command:
/// dotnet run -c Release --project bench/Personalization.Benchmarks -- --filter '*GrainCall*' --job short
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class GrainCallBenchmarks
{
    private BenchSilo _silo = null!;
    private IBenchGrain _grain = null!;
    private int _nextKey;

    // Synchronous on purpose: BenchmarkDotNet's in-process toolchain (--inProcess) does not wait for an async setup.
    [GlobalSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    private async Task SetupAsync()
    {
        _silo = await BenchSilo.StartAsync();
        _grain = _silo.GrainFactory.GetGrain<IBenchGrain>("hot");
        await _grain.GetCachedAsync();
    }

    [GlobalCleanup]
    public void Cleanup() => _silo.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Benchmark(Baseline = true)]
    public Task<int> CallActiveGrain_CachedTask() => _grain.GetCachedAsync();

    [Benchmark]
    public ValueTask<int> CallActiveGrain_ValueTask() => _grain.GetValueAsync();

    [Benchmark]
    public ValueTask<int> CallActiveGrain_ReadOnly() => _grain.ReadValueAsync();

    /// <summary>The usual request pattern: a fresh reference per call.</summary>
    [Benchmark]
    public Task<int> GetGrainThenCall() => _silo.GrainFactory.GetGrain<IBenchGrain>("hot").GetCachedAsync();

    /// <summary>A new activation per call; each deactivates when idle, so activations do not accumulate over the run.</summary>
    [Benchmark]
    public Task<int> ActivateNewGrain() =>
        _silo.GrainFactory.GetGrain<IBenchGrain>("new-" + Interlocked.Increment(ref _nextKey)).ActivateOnceAsync();
}

/// <summary>
/// What [Immutable] buys on the in-silo call that returns a cached response: the <c>CachedResponse</c> (passed by
/// reference) against a plain byte[] of the same size (deep-copied by Orleans on every call) and Immutable&lt;byte[]&gt;.
/// Command: dotnet run -c Release --project bench/Personalization.Benchmarks -- --filter '*Payload*' --job short
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class PayloadBenchmarks
{
    private BenchSilo _silo = null!;
    private IPayloadGrain _grain = null!;

    /// <summary>About a 25-item decorated response of the sample store (bench/run.sh prints the real size), and a large one.</summary>
    [Params(8 * 1024, 64 * 1024)]
    public int Bytes { get; set; }

    // Synchronous on purpose: BenchmarkDotNet's in-process toolchain (--inProcess) does not wait for an async setup.
    [GlobalSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    private async Task SetupAsync()
    {
        _silo = await BenchSilo.StartAsync();
        _grain = _silo.GrainFactory.GetGrain<IPayloadGrain>(0);
        await _grain.InitAsync(Bytes);
    }

    [GlobalCleanup]
    public void Cleanup() => _silo.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Benchmark(Baseline = true)]
    public ValueTask<Personalization.Grains.Recommendations.CachedResponse> ImmutableCachedResponse() => _grain.GetResponseAsync();

    [Benchmark]
    public ValueTask<byte[]> PlainByteArray() => _grain.GetBytesAsync();

    [Benchmark]
    public ValueTask<Immutable<byte[]>> ImmutableByteArray() => _grain.GetImmutableBytesAsync();
}
