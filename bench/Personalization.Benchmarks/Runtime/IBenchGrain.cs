using Personalization.Grains.Recommendations;

namespace Personalization.Benchmarks.Runtime;

[Alias("bench.IBenchGrain")]
public interface IBenchGrain : IGrainWithStringKey
{
    [Alias("GetCached")]
    Task<int> GetCachedAsync();

    [Alias("GetValue")]
    ValueTask<int> GetValueAsync();

    [ReadOnly, Alias("ReadValue")]
    ValueTask<int> ReadValueAsync();

    /// <summary>Answers, then asks to be deactivated: the activation benchmark churns instead of piling up activations.</summary>
    [Alias("ActivateOnce")]
    Task<int> ActivateOnceAsync();
}

public sealed class BenchGrain : Grain, IBenchGrain
{
    private static readonly Task<int> Cached = Task.FromResult(42);
    private int _value = 7;

    public Task<int> GetCachedAsync() => Cached;

    public ValueTask<int> GetValueAsync() => new(_value);

    public ValueTask<int> ReadValueAsync() => new(_value);

    public Task<int> ActivateOnceAsync()
    {
        DeactivateOnIdle();
        return Cached;
    }
}

/// <summary>The same payload returned three ways: the [Immutable] <see cref="CachedResponse"/> the user grain returns, a plain byte[] (deep-copied by Orleans on every in-silo call), and <see cref="Immutable{T}"/> of that byte[].</summary>
[Alias("bench.IPayloadGrain")]
public interface IPayloadGrain : IGrainWithIntegerKey
{
    [Alias("Init")]
    Task InitAsync(int bytes);

    [Alias("GetResponse")]
    ValueTask<CachedResponse> GetResponseAsync();

    [Alias("GetBytes")]
    ValueTask<byte[]> GetBytesAsync();

    [Alias("GetImmutableBytes")]
    ValueTask<Immutable<byte[]>> GetImmutableBytesAsync();
}

public sealed class PayloadGrain : Grain, IPayloadGrain
{
    private CachedResponse _response = null!;
    private byte[] _bytes = [];

    public Task InitAsync(int bytes)
    {
        _bytes = new byte[bytes];
        Random.Shared.NextBytes(_bytes);
        _response = new CachedResponse(_bytes, "\"bench-etag\"", "private, max-age=3600", 3600, variation: "personal");
        return Task.CompletedTask;
    }

    public ValueTask<CachedResponse> GetResponseAsync() => new(_response);

    public ValueTask<byte[]> GetBytesAsync() => new(_bytes);

    public ValueTask<Immutable<byte[]>> GetImmutableBytesAsync() => new(new Immutable<byte[]>(_bytes));
}
