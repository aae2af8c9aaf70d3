using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Personalization.Aws.AppConfigData;
using Personalization.Aws.Configuration;
using Personalization.Aws.Firehose;
using Personalization.Aws.Kinesis;
using Personalization.Aws.Personalize.Control;
using Personalization.Aws.Personalize.Events;
using Personalization.Aws.Personalize.Runtime;

namespace Personalization.Aws;

public static class AwsServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="AwsClientFactory"/> and every client interface as singletons, configured from
    /// <see cref="AwsClientOptions"/> (bind it with services.Configure&lt;AwsClientOptions&gt;(section) or
    /// <paramref name="configure"/>). Uses TimeProvider and ILoggerFactory from the container when present.
    /// </summary>
    public static IServiceCollection AddAwsClients(this IServiceCollection services, Action<AwsClientOptions>? configure = null)
    {
        var options = services.AddOptions<AwsClientOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.AddSingleton(provider => new AwsClientFactory(
            provider.GetRequiredService<IOptions<AwsClientOptions>>().Value,
            timeProvider: provider.GetService<TimeProvider>(),
            loggerFactory: provider.GetService<ILoggerFactory>()));
        services.AddSingleton(provider => provider.GetRequiredService<AwsClientFactory>().CreatePersonalizeRuntimeClient());
        services.AddSingleton(provider => provider.GetRequiredService<AwsClientFactory>().CreatePersonalizeEventsClient());
        services.AddSingleton(provider => provider.GetRequiredService<AwsClientFactory>().CreatePersonalizeClient());
        services.AddSingleton(provider => provider.GetRequiredService<AwsClientFactory>().CreateKinesisClient());
        services.AddSingleton(provider => provider.GetRequiredService<AwsClientFactory>().CreateFirehoseClient());
        services.AddSingleton(provider => provider.GetRequiredService<AwsClientFactory>().CreateAppConfigDataClient());
        services.AddSingleton(provider => provider.GetRequiredService<AwsClientFactory>().CreateLambdaClient());
        services.AddSingleton(provider => provider.GetRequiredService<AwsClientFactory>().CreateSageMakerRuntimeClient());
        return services;
    }
}
