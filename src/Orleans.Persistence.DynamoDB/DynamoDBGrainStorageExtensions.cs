using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Configuration.Overrides;
using Orleans.Hosting;
using Orleans.Providers;
using Orleans.Runtime.Hosting;
using Orleans.Serialization.Serializers;
using Orleans.Storage;

namespace Personalization.Orleans.Persistence.DynamoDB;

public static class DynamoDBGrainStorageExtensions
{
    /// <summary>Registers DynamoDB grain storage as the default storage (grains with [PersistentState] and no storage name).</summary>
    public static ISiloBuilder AddDynamoDBGrainStorageAsDefault(this ISiloBuilder builder, Action<DynamoDBGrainStorageOptions> configure) =>
        builder.AddDynamoDBGrainStorage(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME, configure);

    /// <summary>Registers DynamoDB grain storage under <paramref name="name"/>.</summary>
    public static ISiloBuilder AddDynamoDBGrainStorage(this ISiloBuilder builder, string name, Action<DynamoDBGrainStorageOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return builder.AddDynamoDBGrainStorage(name, options => options.Configure(configure));
    }

    /// <summary>Registers DynamoDB grain storage under <paramref name="name"/>; the options builder allows binding configuration.</summary>
    public static ISiloBuilder AddDynamoDBGrainStorage(this ISiloBuilder builder, string name, Action<OptionsBuilder<DynamoDBGrainStorageOptions>> configureOptions)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddDynamoDBGrainStorage(name, configureOptions);
        return builder;
    }

    public static IServiceCollection AddDynamoDBGrainStorage(this IServiceCollection services, string name, Action<OptionsBuilder<DynamoDBGrainStorageOptions>> configureOptions)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(configureOptions);
        configureOptions(services.AddOptions<DynamoDBGrainStorageOptions>(name));

        // Fills GrainStorageSerializer (the one keyed by this name, else the global one) when the caller left it null.
        services.TryAddEnumerable(ServiceDescriptor.Transient<IPostConfigureOptions<DynamoDBGrainStorageOptions>, DefaultStorageProviderSerializerOptionsConfigurator<DynamoDBGrainStorageOptions>>());
        services.AddTransient<IConfigurationValidator>(sp =>
            new DynamoDBGrainStorageOptionsValidator(sp.GetRequiredService<IOptionsMonitor<DynamoDBGrainStorageOptions>>().Get(name), name));

        // AddGrainStorage registers the storage keyed by name (and unkeyed for "Default") and, because it is an
        // ILifecycleParticipant<ISiloLifecycle>, an UNKEYED participant: the silo only runs unkeyed participants, so
        // registering it keyed (as the docs' tutorial does) would silently skip table creation.
        services.AddGrainStorage(name, Create);
        return services;
    }

    private static DynamoDBGrainStorage Create(IServiceProvider services, string name) =>
        new(
            name,
            services.GetRequiredService<IOptionsMonitor<DynamoDBGrainStorageOptions>>().Get(name),
            services.GetProviderClusterOptions(name),
            services,
            services.GetRequiredService<IActivatorProvider>(),
            services.GetService<TimeProvider>(),
            services.GetService<ILogger<DynamoDBGrainStorage>>(),
            services.GetService<System.Diagnostics.Metrics.IMeterFactory>());
}
