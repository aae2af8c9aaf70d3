using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Personalization.Grains.Configuration;

public static class AppConfigConfigurationServiceCollectionExtensions
{
    /// <summary>
    /// Registers the <see cref="ConfigurationStore"/> and an <see cref="AppConfigConfigurationSource"/> as a hosted
    /// service (the first document is fetched before the host starts serving). Needs an IAppConfigDataClient, e.g.
    /// from services.AddAwsClients(). Use instead of AddFileConfiguration, not beside it.
    /// </summary>
    public static IServiceCollection AddAppConfigConfiguration(this IServiceCollection services, Action<AppConfigSourceOptions> configure)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ConfigurationStore>();
        services.Configure(configure);
        services.TryAddSingleton<AppConfigConfigurationSource>();
        services.TryAddSingleton<IConfigurationDocumentSource>(sp => sp.GetRequiredService<AppConfigConfigurationSource>());
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<AppConfigConfigurationSource>());
        return services;
    }
}
