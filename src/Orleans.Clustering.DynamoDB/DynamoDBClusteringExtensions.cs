using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Hosting;
using Orleans.Messaging;

namespace Personalization.Orleans.Clustering.DynamoDB;

public static class DynamoDBClusteringExtensions
{
    /// <summary>Silo membership in DynamoDB. Do not also call UseLocalhostClustering: the last clustering registered wins.</summary>
    public static ISiloBuilder UseDynamoDBClustering(this ISiloBuilder builder, Action<DynamoDBClusteringOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return builder.UseDynamoDBClustering(options => options.Configure(configure));
    }

    /// <summary>Silo membership in DynamoDB; the options builder allows binding configuration.</summary>
    public static ISiloBuilder UseDynamoDBClustering(this ISiloBuilder builder, Action<OptionsBuilder<DynamoDBClusteringOptions>> configureOptions)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configureOptions);
        var services = builder.Services;
        configureOptions(services.AddOptions<DynamoDBClusteringOptions>());

        // One instance behind both registrations, so the silo's membership and anything resolving the concrete type
        // (tests, tools) share a client.
        services.AddSingleton<DynamoDBMembershipTable>();
        services.AddSingleton<IMembershipTable>(sp => sp.GetRequiredService<DynamoDBMembershipTable>());
        AddValidator(services);
        return builder;
    }

    /// <summary>Gateways for an external client (UseOrleansClient) from the silos' DynamoDB membership.</summary>
    public static IClientBuilder UseDynamoDBClustering(this IClientBuilder builder, Action<DynamoDBClusteringOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return builder.UseDynamoDBClustering(options => options.Configure(configure));
    }

    /// <summary>Gateways for an external client from the silos' DynamoDB membership; the options builder allows binding configuration.</summary>
    public static IClientBuilder UseDynamoDBClustering(this IClientBuilder builder, Action<OptionsBuilder<DynamoDBClusteringOptions>> configureOptions)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configureOptions);
        var services = builder.Services;
        configureOptions(services.AddOptions<DynamoDBClusteringOptions>());
        services.AddSingleton<IGatewayListProvider, DynamoDBGatewayListProvider>();
        AddValidator(services);
        return builder;
    }

    private static void AddValidator(IServiceCollection services) =>
        services.AddSingleton<IConfigurationValidator>(sp =>
            new DynamoDBClusteringOptionsValidator(sp.GetRequiredService<IOptions<DynamoDBClusteringOptions>>().Value));
}
