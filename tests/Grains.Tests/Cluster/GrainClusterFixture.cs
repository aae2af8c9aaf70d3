using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;
using Orleans.TestingHost;
using Personalization.Grains.Configuration;
using Personalization.Grains.Hosting;
using Personalization.Grains.Recommendations;
using Personalization.Grains.Recommenders;
using Personalization.Grains.Recommenders.BuiltIn;
using Personalization.TestSupport;
using Xunit;

namespace Personalization.Grains.Tests.Cluster;

/// <summary>
/// An in-process Orleans cluster of <see cref="SiloCount"/> silos hosting the personalization grains as production
/// does (<see cref="GrainsServiceCollectionExtensions.AddPersonalizationGrains"/>), each silo with its own
/// configuration store, catalog replica and built-in models, all loaded from <see cref="Config"/> before the silo
/// joins. Grain storage is shared by every silo (<see cref="SharedGrainStore"/>) so state outlives a silo, as it would
/// in DynamoDB. Backend calls of all silos are counted in <see cref="Backend"/>.
/// </summary>
public class GrainClusterFixture : IAsyncLifetime
{
    public const short SiloCount = 3;
    public const string Namespace = "shop";

    /// <summary>recommend-items recommender without experiment.</summary>
    public const string ForYou = "for-you";

    /// <summary>recommend-items recommender running experiment <see cref="Feature"/> over two built-in arms.</summary>
    public const string AbTest = "ab";
    public const string Feature = "home";
    public const string Metric = "clicks";

    public const string Config = """
        { "version": "grain-tests",
          "cacheControl": {
            "userSpecified": { "maxAge": 3600, "directives": "private" },
            "syntheticUserSpecified": { "maxAge": 3600, "directives": "public" },
            "noUserSpecified": { "maxAge": 3600, "directives": "public" } },
          "namespaces": { "shop": {
            "inferenceItemMetadata": { "type": "localdb", "path": "items.jsonl" },
            "recommenders": { "recommend-items": {
              "for-you": { "variations": { "personal": { "type": "builtin" } } },
              "ab": {
                "variations": {
                  "personal": { "type": "builtin", "fallbacks": [ { "type": "builtin", "algorithm": "trending" } ] },
                  "popular": { "type": "builtin", "algorithm": "trending", "fallbacks": [ { "type": "builtin", "algorithm": "trending" } ] } },
                "experiments": { "home": {
                  "method": "builtin",
                  "arms": { "personal": { "weight": 50 }, "popular": { "weight": 50 } },
                  "metrics": { "clicks": { } } } } } } } } } }
        """;

    public const int CatalogItems = 20;

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    public GrainClusterFixture()
    {
        DataDirectory = Directory.CreateTempSubdirectory("grain-cluster-").FullName;
    }

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public IClusterClient Client => Cluster.Client;

    public SharedGrainStore Store { get; } = new();

    public BackendLog Backend { get; } = new();

    public string DataDirectory { get; }

    public static string CatalogLine(int i) =>
        $$"""{"id":"i{{i}}","name":"Item number {{i}}","category":"c{{i % 3}}","price":{{i}}.5}""";

    public async Task InitializeAsync()
    {
        await File.WriteAllLinesAsync(Path.Combine(DataDirectory, "items.jsonl"), Enumerable.Range(0, CatalogItems).Select(CatalogLine));
        var builder = new InProcessTestClusterBuilder(SiloCount);
        builder.ConfigureSilo((options, silo) =>
        {
            silo.AddSharedGrainStorageAsDefault(Store);
            var services = silo.Services;

            // First, so RecommenderBackends picks it over the plain built-in backend AddPersonalizationGrains adds.
            services.AddSingleton<IRecommenderBackend>(sp =>
                new CountingBackend(Backend, options.SiloName, new BuiltInRecommenderBackend(sp.GetRequiredService<BuiltInModelStore>())));

            // A configuration source in production (file or AppConfig) fills the store; here it is loaded once, up front.
            services.AddSingleton(sp =>
            {
                var store = new ConfigurationStore(sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<ConfigurationStore>>());
                var result = store.TryApply(Encoding.UTF8.GetBytes(Config), "grain-cluster-fixture");
                return result.Status == ConfigurationApplyStatus.Applied
                    ? store
                    : throw new InvalidOperationException("test configuration rejected: " + string.Join("; ", result.Errors));
            });
            services.AddPersonalizationGrains(DataDirectory);
            services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, NamespaceDataLoader>();
        });
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        await Cluster.DisposeAsync();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless.
        }
    }

    public IServiceProvider Services(SiloHandle silo) => Cluster.GetSiloServiceProvider(silo.SiloAddress);

    /// <summary>Any running silo's services (the one "taking the request").</summary>
    public IServiceProvider AnySilo() => Services(Cluster.GetActiveSilos().First());

    /// <summary>
    /// The query an API silo would send for a recommend-items GET: prepared on a running silo under its configuration,
    /// as <c>RecommendationEndpoints</c> does.
    /// </summary>
    public RecommendationQuery Query(string recommender, string userId, int numResults = 5, SiloHandle? on = null)
    {
        var services = on is null ? AnySilo() : Services(on);
        var snapshot = services.GetRequiredService<ConfigurationStore>().Current!;
        Assert.True(snapshot.TryGetNamespace(Namespace, out var ns));
        Assert.True(ns.TryGetRecommender(RecommenderAction.RecommendItems, recommender, out var resolved));
        var request = new RecommendationRequest
        {
            Namespace = ns,
            Recommender = resolved,
            UserId = userId,
            Options = new InferenceOptions { NumResults = numResults },
        };
        return RecommendationPipeline.ToQuery(services.GetRequiredService<RecommendationPipeline>().Prepare(request), snapshot.ContentHash);
    }

    /// <summary>The silo an activation of <paramref name="grain"/> lives on, if it is active.</summary>
    public SiloAddress? HostOf(IAddressable grain) =>
        Cluster.TryGetGrainContext(grain.GetGrainId(), out var context) ? context.Address.SiloAddress : null;

    /// <summary>A relay grain activated on another silo than <paramref name="silo"/> (placement is random: try keys).</summary>
    public async Task<IRelayGrain> RelayAwayFromAsync(SiloAddress silo)
    {
        for (var i = 0; i < 100; i++)
        {
            var relay = Client.GetGrain<IRelayGrain>($"relay-{Guid.NewGuid():N}");
            if (!silo.Equals(await relay.GetSiloAsync()))
            {
                return relay;
            }
        }

        throw new InvalidOperationException($"no relay grain landed away from {silo}");
    }

    public static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        using var timeout = new CancellationTokenSource(Patience);
        while (!condition())
        {
            if (timeout.IsCancellationRequested)
            {
                throw new TimeoutException($"timed out waiting until {what}");
            }

            await Task.Delay(25);
        }
    }

    /// <summary>
    /// Loads catalogs and trains built-in models before the silo becomes active, as readiness does in production: a
    /// grain call never finds its silo without data. NamespaceDataService keeps them in step afterwards.
    /// </summary>
    private sealed class NamespaceDataLoader(NamespaceDataService data) : ILifecycleParticipant<ISiloLifecycle>
    {
        public void Participate(ISiloLifecycle lifecycle) =>
            lifecycle.Subscribe(nameof(NamespaceDataLoader), ServiceLifecycleStage.ApplicationServices, async cancellationToken =>
            {
                await data.SyncAsync(cancellationToken);
                if (!data.IsReady)
                {
                    throw new InvalidOperationException("namespace data not loaded: " + data.LastError);
                }
            });
    }
}

/// <summary>
/// Cluster tests run one class at a time: each class starts its own silos, and the machine has few cores.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ClusterCollection
{
    public const string Name = "Orleans cluster";
}
