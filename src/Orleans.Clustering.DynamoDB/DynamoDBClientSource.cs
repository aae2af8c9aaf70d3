using Amazon.DynamoDBv2;
using Orleans.Runtime;

namespace Personalization.Orleans.Clustering.DynamoDB;

/// <summary>The client a provider uses, and whether it is the provider's to dispose.</summary>
internal readonly record struct DynamoDBClientSource(IAmazonDynamoDB Client, bool Owned)
{
    public static DynamoDBClientSource Resolve(DynamoDBClusteringOptions options, IServiceProvider services)
    {
        if (options.CreateClient is { } create)
        {
            return new(create(services) ?? throw new OrleansConfigurationException("DynamoDB clustering: CreateClient returned null."), true);
        }

        if (services.GetService(typeof(IAmazonDynamoDB)) is IAmazonDynamoDB shared)
        {
            return new(shared, false);
        }

        // Region and credentials from the SDK's default chain (environment, profile, IRSA web identity).
        return new(new AmazonDynamoDBClient(), true);
    }
}
