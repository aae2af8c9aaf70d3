using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Personalization.Aws.Lambda;
using Personalization.Grains.Catalog;
using Personalization.Grains.Context;
using Personalization.Grains.Events;
using Personalization.Grains.Experiments;
using Personalization.Grains.Recommendations;
using Personalization.Grains.Recommenders;
using Personalization.Grains.Recommenders.BuiltIn;
using Personalization.Grains.Recommenders.Lambda;
using Personalization.Grains.Recommenders.Resilience;

namespace Personalization.Grains.Hosting;

public static class GrainsServiceCollectionExtensions
{
    /// <summary>
    /// The personalization domain: catalogs and built-in models kept in step with the configuration, the backends,
    /// the recommendation pipeline and experiments. Grain classes register themselves (source-generated).
    /// Configuration sources and the grain runtime are registered separately.
    /// </summary>
    /// <param name="dataDirectory">Where relative data paths in the configuration point from (the config file's folder).</param>
    public static IServiceCollection AddPersonalizationGrains(this IServiceCollection services, string dataDirectory)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(new DataPaths(dataDirectory));
        services.TryAddSingleton(sp => new AutoContextResolver(new AutoContextOptions(), sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<CatalogStore>();
        services.TryAddSingleton<BuiltInModelStore>();
        services.TryAddSingleton<NamespaceDataService>();
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<NamespaceDataService>());
        services.AddSingleton<IRecommenderBackend, BuiltInRecommenderBackend>();
        services.TryAddSingleton<RecommenderBackends>();
        services.TryAddSingleton<ExperimentRegistry>();
        services.TryAddSingleton(new BackendResilienceOptions());
        services.TryAddSingleton<ILiveSilos>(sp => sp.GetService<IClusterMembershipService>() is { } membership ? new MembershipLiveSilos(membership) : SingleSilo.Instance);
        services.TryAddSingleton<BackendGuard>();
        services.TryAddSingleton(sp => new ResponsePostProcessor(
            sp.GetService<ILambdaClient>(), sp.GetRequiredService<BackendResilienceOptions>(), sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<RecommendationPipeline>();
        services.TryAddSingleton(typeof(GrainReferences<>));
        services.TryAddSingleton(sp => new EventDispatcher(sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<EventTargetRegistry>();
        services.TryAddSingleton(sp => new EventsRequestParser(sp.GetRequiredService<TimeProvider>()));
        services.AddHostedService<EventDeliveryService>();
        return services;
    }
}
