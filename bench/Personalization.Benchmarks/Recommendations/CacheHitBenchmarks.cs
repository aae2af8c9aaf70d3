using System.Text;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using Personalization.Benchmarks.Runtime;
using Personalization.Grains.Configuration;
using Personalization.Grains.Hosting;
using Personalization.Grains.Recommendations;
using Personalization.Grains.Users;

namespace Personalization.Benchmarks.Recommendations;

/// <summary>
/// The cache-hit path below HTTP, on a real Orleans silo in this process: the user grain call that checks the
/// configuration version, finds the cached response and returns it (an [Immutable] <see cref="CachedResponse"/>,
/// passed by reference); and the same preceded by what the API does per request on the calling silo (Prepare: experiment
/// assignment, context, cache key; ToQuery; GetGrain). Command:
/// dotnet run -c Release --project bench/Personalization.Benchmarks -- --filter '*CacheHit*' --job short
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class CacheHitBenchmarks
{
    private const string Config = """
        { "version": "bench",
          "cacheControl": { "userSpecified": { "maxAge": 3600, "directives": "private" }, "syntheticUserSpecified": { "maxAge": 3600, "directives": "public" }, "noUserSpecified": { "maxAge": 3600, "directives": "public" } },
          "namespaces": { "shop": {
            "inferenceItemMetadata": { "type": "localdb", "path": "items.jsonl" },
            "recommenders": { "recommend-items": { "for-you": {
              "variations": { "personal": { "type": "builtin" }, "popular": { "type": "builtin", "algorithm": "trending" } },
              "experiments": { "home": { "method": "builtin", "arms": { "personal": { "weight": 80 }, "popular": { "weight": 20 } } } } } } } } } }
        """;

    private BenchSilo _silo = null!;
    private IUserGrain _user = null!;
    private RecommendationPipeline _pipeline = null!;
    private RecommendationRequest _request = null!;
    private RecommendationQuery _query = null!;
    private string _configVersion = null!;
    private string _folder = null!;

    // Synchronous on purpose: BenchmarkDotNet's in-process toolchain (--inProcess) does not wait for an async setup.
    [GlobalSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    private async Task SetupAsync()
    {
        _folder = Directory.CreateTempSubdirectory("bench-hit-").FullName;
        await File.WriteAllLinesAsync(Path.Combine(_folder, "items.jsonl"), Enumerable.Range(0, 100).Select(i =>
            $$"""{"id":"i{{i}}","name":"Item number {{i}}","category":"c{{i % 7}}","price":{{i}}.99,"image_url":"https://images.example.com/items/i{{i}}.jpg","description":"A fine item, number {{i}}, for benchmarks."}"""));

        // The configuration is live before the silo starts, so the namespace data service loads it on its first pass.
        var store = new ConfigurationStore(TimeProvider.System);
        var applied = store.TryApply(Encoding.UTF8.GetBytes(Config), "bench");
        var snapshot = store.Current ?? throw new InvalidOperationException($"the benchmark configuration was rejected: {applied}");
        _silo = await BenchSilo.StartAsync(services => services
            .AddSingleton(store)
            .AddPersonalizationGrains(_folder));

        var data = _silo.Services.GetRequiredService<NamespaceDataService>();
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60)))
        {
            while (!data.IsReady)
            {
                await Task.Delay(20, timeout.Token);
            }
        }

        snapshot.TryGetNamespace("shop", out var ns);
        ns.TryGetRecommender(RecommenderAction.RecommendItems, "for-you", out var recommender);
        _pipeline = _silo.Services.GetRequiredService<RecommendationPipeline>();
        _configVersion = snapshot.ContentHash;
        _request = new RecommendationRequest { Namespace = ns, Recommender = recommender, UserId = "u1", Options = new InferenceOptions() };
        _query = RecommendationPipeline.ToQuery(_pipeline.Prepare(_request), _configVersion);
        _user = _silo.GrainFactory.GetGrain<IUserGrain>(UserGrain.Key("shop", "u1"));
        var first = await _user.GetRecommendationsAsync(_query);
        var second = await _user.GetRecommendationsAsync(_query);
        if (!ReferenceEquals(first, second))
        {
            throw new InvalidOperationException("the second call did not hit the cache: the benchmark would measure misses");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _silo.DisposeAsync().AsTask().GetAwaiter().GetResult();
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>The grain call alone, with the query the API prepared once.</summary>
    [Benchmark(Baseline = true)]
    public ValueTask<CachedResponse> UserGrainCacheHit() => _user.GetRecommendationsAsync(_query);

    /// <summary>Per request as the API does it: Prepare, ToQuery, GetGrain and the call.</summary>
    [Benchmark]
    public ValueTask<CachedResponse> PrepareThenUserGrainCacheHit() =>
        _silo.GrainFactory.GetGrain<IUserGrain>(UserGrain.Key("shop", "u1"))
            .GetRecommendationsAsync(RecommendationPipeline.ToQuery(_pipeline.Prepare(_request), _configVersion));
}
