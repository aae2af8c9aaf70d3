using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Personalization.Aws.Personalize.Runtime;
using Personalization.Grains.Recommenders.Http;

namespace Personalization.Grains.Recommenders.Personalize;

public static class RecommenderBackendServiceCollectionExtensions
{
    /// <summary>
    /// Registers the Amazon Personalize backend (needs <see cref="IPersonalizeRuntimeClient"/>, e.g. from
    /// services.AddAwsClients()) and the HTTP backend as <see cref="IRecommenderBackend"/>s.
    /// </summary>
    public static IServiceCollection AddPersonalizeBackends(this IServiceCollection services, Action<HttpRecommenderOptions>? configureHttp = null)
    {
        services.TryAddSingleton(TimeProvider.System);
        var httpOptions = new HttpRecommenderOptions();
        configureHttp?.Invoke(httpOptions);
        services.AddSingleton(sp => new PersonalizeRecommenderBackend(sp.GetRequiredService<IPersonalizeRuntimeClient>()));
        services.AddSingleton(sp => new HttpRecommenderBackend(httpOptions, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IRecommenderBackend>(sp => sp.GetRequiredService<PersonalizeRecommenderBackend>());
        services.AddSingleton<IRecommenderBackend>(sp => sp.GetRequiredService<HttpRecommenderBackend>());
        return services;
    }
}
