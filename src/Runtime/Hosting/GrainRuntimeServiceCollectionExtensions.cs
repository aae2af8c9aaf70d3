using Amazon.DynamoDBv2;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Personalization.Runtime.Storage;
using Personalization.Runtime.Storage.DynamoDB;
using Personalization.Runtime.Storage.Memory;

namespace Personalization.Runtime;

public static class GrainRuntimeServiceCollectionExtensions
{
    /// <summary>The grain runtime as IGrainFactory and IHostedService (start: idle collection; stop: deactivate all).</summary>
    public static IServiceCollection AddGrainRuntime(this IServiceCollection services, Action<GrainRuntimeOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<GrainRuntimeOptions>();
        if (configure is not null)
        {
            services.Configure(configure);
        }

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<GrainRuntime>(sp => new GrainRuntime(
            sp,
            sp.GetRequiredService<IOptions<GrainRuntimeOptions>>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<ILogger<GrainRuntime>>() ?? NullLogger<GrainRuntime>.Instance));
        services.TryAddSingleton<IGrainFactory>(sp => sp.GetRequiredService<GrainRuntime>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, GrainRuntime>(sp => sp.GetRequiredService<GrainRuntime>()));
        return services;
    }

    /// <summary>Memory grain storage named <paramref name="name"/>; pass a shared <paramref name="store"/> to keep state across silo instances.</summary>
    public static IServiceCollection AddMemoryGrainStorage(this IServiceCollection services, string name = GrainStorageNames.Default, MemoryGrainStore? store = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var records = store ?? new MemoryGrainStore();
        services.AddKeyedSingleton<IGrainStorage>(name, (_, _) => new MemoryGrainStorage(name, records));
        return services;
    }

    public static IServiceCollection AddDynamoDBGrainStorage(this IServiceCollection services, string name, Action<DynamoDBGrainStorageOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<DynamoDBGrainStorageOptions>(name).Configure(configure);
        services.AddKeyedSingleton<IGrainStorage>(name, (sp, _) =>
        {
            var options = sp.GetRequiredService<IOptionsMonitor<DynamoDBGrainStorageOptions>>().Get(name);
            var client = options.CreateClient?.Invoke(sp) ?? sp.GetService<IAmazonDynamoDB>() ?? new AmazonDynamoDBClient();
            return new DynamoDBGrainStorage(name, client, options, sp.GetService<TimeProvider>() ?? TimeProvider.System);
        });
        return services;
    }
}
