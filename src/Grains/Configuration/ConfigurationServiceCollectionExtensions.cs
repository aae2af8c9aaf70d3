using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Personalization.Grains.Context;

namespace Personalization.Grains.Configuration;

public static class ConfigurationServiceCollectionExtensions
{
    /// <summary>
    /// Registers the <see cref="ConfigurationStore"/>, a hot-reloading <see cref="FileConfigurationSource"/>
    /// (as a hosted service, so the document is loaded before the host starts serving) and the
    /// <see cref="AutoContextResolver"/>.
    /// </summary>
    public static IServiceCollection AddFileConfiguration(
        this IServiceCollection services,
        Action<FileConfigurationSourceOptions> configureSource,
        Action<AutoContextOptions>? configureAutoContext = null)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ConfigurationStore>();
        services.Configure(configureSource);
        services.TryAddSingleton<FileConfigurationSource>();
        services.TryAddSingleton<IConfigurationDocumentSource>(sp => sp.GetRequiredService<FileConfigurationSource>());
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<FileConfigurationSource>());

        var autoContext = new AutoContextOptions();
        configureAutoContext?.Invoke(autoContext);
        services.TryAddSingleton(Options.Create(autoContext));
        services.TryAddSingleton(sp => new AutoContextResolver(sp.GetRequiredService<IOptions<AutoContextOptions>>().Value, sp.GetRequiredService<TimeProvider>()));
        return services;
    }
}
