using Personalization.Runtime;

namespace Personalization.Benchmarks.Runtime;

public interface IBenchGrain : IGrainWithStringKey
{
    Task<int> GetCachedAsync();

    ValueTask<int> GetValueAsync();

    [ReadOnly]
    ValueTask<int> ReadValueAsync();
}

public sealed class BenchGrain : Grain, IBenchGrain
{
    private static readonly Task<int> Cached = Task.FromResult(42);
    private int _value = 7;

    public Task<int> GetCachedAsync() => Cached;

    public ValueTask<int> GetValueAsync() => new(_value);

    public ValueTask<int> ReadValueAsync() => new(_value);
}
