using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Personalization.Grains.Configuration;
using Personalization.Grains.Hosting;
using Personalization.Grains.Recommendations;
using Personalization.Grains.Recommenders;
using Personalization.Grains.Recommenders.Resilience;
using Personalization.TestSupport;

namespace Personalization.Grains.Tests.Recommendations;

/// <summary>
/// The recommendation pipeline of one silo without Orleans: real configuration, catalog, built-in model, guard and
/// response cache on a manual clock, with <see cref="Remote"/> standing in for Personalize and HTTP backends.
/// </summary>
public sealed class FallbackHarness : IAsyncDisposable
{
    public const string Namespace = "shop";

    private readonly ServiceProvider _services;
    private readonly string _folder;

    private FallbackHarness(ServiceProvider services, string folder)
    {
        _services = services;
        _folder = folder;
    }

    public ManualTimeProvider Clock { get; private init; } = null!;

    public ScriptedBackend Remote { get; private init; } = null!;

    public RecommendationPipeline Pipeline => _services.GetRequiredService<RecommendationPipeline>();

    public BackendGuard Guard => _services.GetRequiredService<BackendGuard>();

    public ResponseCache<VersionedCacheKey> Cache { get; private init; } = null!;

    public static string Arn(string name) => "arn:aws:personalize:us-east-1:123456789012:campaign/" + name;

    public static async Task<FallbackHarness> StartAsync(string config, BackendResilienceOptions? resilience = null, int liveSilos = 1)
    {
        var folder = Directory.CreateTempSubdirectory("fallbacks-").FullName;
        await File.WriteAllLinesAsync(
            Path.Combine(folder, "items.jsonl"),
            Enumerable.Range(0, 20).Select(i => $$"""{"id":"i{{i}}","name":"Item {{i}}","category":"c{{i % 3}}"}"""));
        var clock = new ManualTimeProvider();
        var remote = new ScriptedBackend();
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(clock);
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        services.AddSingleton<IRecommenderBackend>(remote);
        services.AddSingleton(resilience ?? new BackendResilienceOptions());
        services.AddSingleton<ILiveSilos>(new FixedSilos(liveSilos));
        services.AddSingleton(sp =>
        {
            var store = new ConfigurationStore(clock);
            var result = store.TryApply(Encoding.UTF8.GetBytes(config), "fallback-harness");
            return result.Status == ConfigurationApplyStatus.Applied
                ? store
                : throw new InvalidOperationException("test configuration rejected: " + string.Join("; ", result.Errors));
        });
        services.AddPersonalizationGrains(folder);
        var provider = services.BuildServiceProvider();
        var data = provider.GetRequiredService<NamespaceDataService>();
        await data.SyncAsync(CancellationToken.None);
        if (!data.IsReady)
        {
            throw new InvalidOperationException("namespace data not loaded: " + data.LastError);
        }

        return new FallbackHarness(provider, folder) { Clock = clock, Remote = remote, Cache = new ResponseCache<VersionedCacheKey>(clock) };
    }

    public RecommendationQuery Query(string recommender, string userId = "u1", int numResults = 5, string? feature = null)
    {
        var snapshot = _services.GetRequiredService<ConfigurationStore>().Current!;
        snapshot.TryGetNamespace(Namespace, out var ns);
        ns.TryGetRecommender(RecommenderAction.RecommendItems, recommender, out var resolved);
        var request = new RecommendationRequest
        {
            Namespace = ns,
            Recommender = resolved,
            UserId = userId,
            Options = new InferenceOptions { NumResults = numResults, Feature = feature },
        };
        return RecommendationPipeline.ToQuery(Pipeline.Prepare(request), snapshot.ContentHash);
    }

    public Task<CachedResponse> ServeAsync(string recommender, string userId = "u1") =>
        Pipeline.ServeAsync(Cache, Query(recommender, userId)).AsTask();

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless.
        }
    }

    public static JsonElement Body(CachedResponse response)
    {
        var bytes = response.Body.ToArray();
        return JsonDocument.Parse(bytes).RootElement.Clone();
    }

    private sealed class FixedSilos(int count) : ILiveSilos
    {
        public int Count => count;
    }
}

/// <summary>
/// Personalize and HTTP variations answered by script, per backend key (ARN or URL): items named after the backend,
/// or a failure, or a call that hangs until cancelled. Calls are counted per backend.
/// </summary>
public sealed class ScriptedBackend : IRecommenderBackend
{
    private readonly Dictionary<string, Func<BackendRequest, CancellationToken, Task<RecommenderResult>>> _scripts = [];
    private readonly Dictionary<string, int> _calls = [];
    private int _ids;

    public bool Supports(VariationType type) => type is VariationType.PersonalizeCampaign or VariationType.PersonalizeRecommender or VariationType.Http;

    public int CallsTo(string key)
    {
        lock (_calls)
        {
            return _calls.GetValueOrDefault(key);
        }
    }

    public void Fail(string key, BackendFailure failure, string code = "Injected") =>
        Script(key, (_, _) => Task.FromException<RecommenderResult>(new RecommenderBackendException(failure, code, $"injected {failure}")));

    public void Hang(string key) =>
        Script(key, static async (_, ct) =>
        {
            await Task.Delay(Timeout.Infinite, ct);
            throw new InvalidOperationException("unreachable");
        });

    public void Recover(string key)
    {
        lock (_scripts)
        {
            _scripts.Remove(key);
        }
    }

    public void Script(string key, Func<BackendRequest, CancellationToken, Task<RecommenderResult>> script)
    {
        lock (_scripts)
        {
            _scripts[key] = script;
        }
    }

    public Task<RecommenderResult> InvokeAsync(BackendRequest request, CancellationToken cancellationToken)
    {
        var key = request.Variation.BackendKey!;
        lock (_calls)
        {
            _calls[key] = _calls.GetValueOrDefault(key) + 1;
        }

        Func<BackendRequest, CancellationToken, Task<RecommenderResult>>? script;
        lock (_scripts)
        {
            _scripts.TryGetValue(key, out script);
        }

        if (script is not null)
        {
            return script(request, cancellationToken);
        }

        var name = key[(key.LastIndexOf('/') + 1)..];
        var items = Enumerable.Range(0, request.NumResults).Select(i => new RecommendedItem($"{name}-{i}", 1.0 / (i + 1))).ToArray();
        return Task.FromResult(new RecommenderResult(items, "RID-" + Interlocked.Increment(ref _ids)));
    }
}
