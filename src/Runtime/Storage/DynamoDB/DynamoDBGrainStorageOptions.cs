using Amazon.DynamoDBv2;

namespace Personalization.Runtime.Storage.DynamoDB;

/// <summary>Options of a DynamoDB grain storage; the item shape follows Orleans' DynamoDB grain storage.</summary>
public sealed class DynamoDBGrainStorageOptions
{
    public string TableName { get; set; } = "OrleansGrainState";

    /// <summary>Prefixes every GrainReference so several deployments can share a table.</summary>
    public string ServiceId { get; set; } = "personalization";

    /// <summary>Create the table (and wait until it is ACTIVE) on first use when it does not exist.</summary>
    public bool CreateIfNotExists { get; set; }

    /// <summary>Provisioned throughput when the table is created; false creates it PAY_PER_REQUEST.</summary>
    public bool UseProvisionedThroughput { get; set; } = true;

    public int ReadCapacityUnits { get; set; } = 10;

    public int WriteCapacityUnits { get; set; } = 5;

    /// <summary>When set, each write stores now + this lifetime (epoch seconds) in <see cref="TimeToLiveAttributeName"/>.</summary>
    public TimeSpan? TimeToLive { get; set; }

    public string TimeToLiveAttributeName { get; set; } = "GrainTtl";

    /// <summary>The client to use; default: IAmazonDynamoDB from DI, else a client from the SDK's default configuration.</summary>
    public Func<IServiceProvider, IAmazonDynamoDB>? CreateClient { get; set; }

    internal void Validate(string storageName)
    {
        if (string.IsNullOrWhiteSpace(TableName))
        {
            throw new ArgumentException($"DynamoDB grain storage '{storageName}': TableName is required.");
        }

        if (string.IsNullOrWhiteSpace(ServiceId))
        {
            throw new ArgumentException($"DynamoDB grain storage '{storageName}': ServiceId is required.");
        }

        if (TimeToLive is { } ttl && ttl <= TimeSpan.Zero)
        {
            throw new ArgumentException($"DynamoDB grain storage '{storageName}': TimeToLive must be positive.");
        }

        if (string.IsNullOrWhiteSpace(TimeToLiveAttributeName))
        {
            throw new ArgumentException($"DynamoDB grain storage '{storageName}': TimeToLiveAttributeName is required.");
        }

        if (UseProvisionedThroughput && (ReadCapacityUnits < 1 || WriteCapacityUnits < 1))
        {
            throw new ArgumentException($"DynamoDB grain storage '{storageName}': capacity units must be at least 1.");
        }
    }
}
