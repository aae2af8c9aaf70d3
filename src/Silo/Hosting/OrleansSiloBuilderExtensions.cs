using System.Net;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Personalization.Aws.Configuration;
using Personalization.Orleans.Clustering.DynamoDB;
using Personalization.Orleans.Persistence.DynamoDB;
using StackExchange.Redis;

namespace Personalization.Silo.Hosting;

/// <summary>The Orleans half of a silo: clustering, endpoints and grain storage chosen by <see cref="ClusterSettings"/>.</summary>
internal static class OrleansSiloBuilderExtensions
{
    public static ISiloBuilder UsePersonalizationCluster(this ISiloBuilder silo, ClusterSettings settings, IConfiguration configuration)
    {
        silo.Configure<ClusterOptions>(options =>
        {
            options.ServiceId = settings.ServiceId;
            options.ClusterId = settings.ClusterId;
        });

        switch (settings.Provider)
        {
            case ClusterSettings.Redis:
                silo.UseRedisClustering(options => options.ConfigurationOptions = ConfigurationOptions.Parse(settings.RedisConnectionString!));
                break;
            case ClusterSettings.DynamoDB:
                // Cluster__DynamoDB__TableName, __CreateIfNotExists; the client follows the Aws__* settings.
                silo.UseDynamoDBClustering(options => options
                    .Bind(configuration.GetSection("Cluster:DynamoDB"))
                    .Configure<IOptions<AwsClientOptions>>((o, aws) => o.CreateClient = _ => AwsSdkClients.DynamoDB(aws.Value)));
                break;
            default:
                // One machine: the silo keeps the membership table itself (Orleans' development clustering).
                silo.UseLocalhostClustering(settings.SiloPort, settings.GatewayPort, serviceId: settings.ServiceId, clusterId: settings.ClusterId);
                break;
        }

        // Listen on every address but advertise one other silos can reach (POD_IP on Kubernetes), never a Service VIP.
        var listenOnAny = !IPAddress.IsLoopback(settings.AdvertisedIP);
        silo.ConfigureEndpoints(settings.AdvertisedIP, settings.SiloPort, settings.GatewayPort, listenOnAnyHostAddress: listenOnAny);

        switch (settings.StorageProvider)
        {
            case ClusterSettings.Redis:
                silo.AddRedisGrainStorageAsDefault(options => options.ConfigurationOptions = ConfigurationOptions.Parse(settings.StorageRedisConnectionString!));
                break;
            case ClusterSettings.DynamoDB:
                // Storage__DynamoDB__TableName, __CreateIfNotExists, __TimeToLive, ...; the client follows the Aws__* settings.
                silo.AddDynamoDBGrainStorage("Default", options => options
                    .Bind(configuration.GetSection("Storage:DynamoDB"))
                    .Configure<IOptions<AwsClientOptions>>((o, aws) => o.CreateClient = _ => AwsSdkClients.DynamoDB(aws.Value)));
                break;
            default:
                silo.AddMemoryGrainStorageAsDefault();
                break;
        }

        // Failure detection: Cluster__Membership__ProbeTimeout, __NumMissedProbesLimit, __NumVotesForDeathDeclaration, ...
        // (Orleans' ClusterMembershipOptions; unset keeps Orleans' defaults).
        silo.Configure<ClusterMembershipOptions>(configuration.GetSection("Cluster:Membership"));

        // Idle grains are collected after GrainCollection__CollectionAge (Orleans' default: 15 minutes).
        silo.Configure<GrainCollectionOptions>(configuration.GetSection("GrainCollection"));
        return silo;
    }
}
