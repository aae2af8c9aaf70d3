using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Personalization.Aws.Lambda;
using Personalization.Aws.Personalize.Runtime;
using Personalization.Aws.SageMakerRuntime;
using Personalization.Grains.Recommenders.Http;
using Personalization.Grains.Recommenders.Lambda;
using Personalization.Grains.Recommenders.SageMaker;

namespace Personalization.Grains.Recommenders.Personalize;

public static class RecommenderBackendServiceCollectionExtensions
{
    /// <summary>
    /// Registers the Amazon Personalize, Lambda and SageMaker backends (they need <see cref="IPersonalizeRuntimeClient"/>,
    /// <see cref="ILambdaClient"/> and <see cref="ISageMakerRuntimeClient"/>, e.g. from services.AddAwsClients()) and the
    /// HTTP backend as <see cref="IRecommenderBackend"/>s.
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
        services.AddSingleton<IRecommenderBackend>(sp => new LambdaRecommenderBackend(sp.GetRequiredService<ILambdaClient>()));
        services.AddSingleton<IRecommenderBackend>(sp => new SageMakerRecommenderBackend(sp.GetRequiredService<ISageMakerRuntimeClient>()));
        return services;
    }
}
