using System.Text;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Personalization.Grains.Configuration;
using Personalization.Grains.Hosting;
using Personalization.Grains.Recommendations;
using Personalization.Grains.Users;
using Personalization.Runtime.Testing;

namespace Personalization.Benchmarks.Recommendations;

/// <summary>
/// The cache-hit path below HTTP: a user grain call that resolves the variation (an experiment), builds the cache key
/// and returns the bytes it holds. Command:
/// dotnet run -c Release --project bench/Personalization.Benchmarks -- --filter '*CacheHit*' --job short
/// </summary>
[MemoryDiagnoser]
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

    private InProcessSilo _silo = null!;
    private IUserGrain _user = null!;
    private RecommendationRequest _request = null!;
    private string _folder = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _folder = Directory.CreateTempSubdirectory("bench-hit-").FullName;
        await File.WriteAllLinesAsync(Path.Combine(_folder, "items.jsonl"), Enumerable.Range(0, 100).Select(i =>
            $$"""{"id":"i{{i}}","name":"Item number {{i}}","category":"c{{i % 7}}","price":{{i}}.99,"image_url":"https://images.example.com/items/i{{i}}.jpg","description":"A fine item, number {{i}}, for benchmarks."}"""));
        _silo = await InProcessSilo.StartAsync(new InProcessSiloOptions
        {
            ConfigureServices = services => services
                .AddSingleton(typeof(ILogger<>), typeof(NullLogger<>))
                .AddSingleton<ConfigurationStore>()
                .AddPersonalizationGrains(_folder),
        });
        var store = _silo.Services.GetRequiredService<ConfigurationStore>();
        store.TryApply(Encoding.UTF8.GetBytes(Config), "bench");
        await _silo.Services.GetRequiredService<NamespaceDataService>().SyncAsync(CancellationToken.None);
        var snapshot = store.Current!;
        snapshot.TryGetNamespace("shop", out var ns);
        ns.TryGetRecommender(RecommenderAction.RecommendItems, "for-you", out var recommender);
        _request = new RecommendationRequest { Namespace = ns, Recommender = recommender, UserId = "u1", Options = new InferenceOptions() };
        _user = _silo.GrainFactory.GetGrain<IUserGrain>("shop/u1");
        await _user.GetRecommendationsAsync(_request);
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _silo.StopAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Benchmark]
    public ValueTask<CachedResponse> UserGrainCacheHit() => _user.GetRecommendationsAsync(_request);
}
