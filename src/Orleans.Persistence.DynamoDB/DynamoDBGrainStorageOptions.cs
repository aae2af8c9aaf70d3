using Amazon.DynamoDBv2;
using Orleans.Storage;

namespace Personalization.Orleans.Persistence.DynamoDB;

/// <summary>
/// Options of one named DynamoDB grain storage. The table has hash key <c>GrainReference</c> (S,
/// "{ServiceId}_{grain id}") and range key <c>GrainType</c> (S, the state name), the shape of Orleans' own DynamoDB
/// storage, so tables made for it (or by IaC from its documentation) fit.
/// </summary>
public sealed class DynamoDBGrainStorageOptions : IStorageProviderSerializerOptions
{
    public const string DefaultTableName = "PersonalizationGrainState";

    public string TableName { get; set; } = DefaultTableName;

    /// <summary>
    /// Create the table at silo start when it does not exist (needs DescribeTable and CreateTable rights). Off by
    /// default: production tables come from infrastructure code, and a provider that creates or resizes tables at
    /// every start is a known upstream problem (dotnet/orleans #7683).
    /// </summary>
    public bool CreateIfNotExists { get; set; }

    /// <summary>Billing of a table this provider creates: false (default) creates it PAY_PER_REQUEST.</summary>
    public bool UseProvisionedThroughput { get; set; }

    public int ReadCapacityUnits { get; set; } = 10;

    public int WriteCapacityUnits { get; set; } = 5;

    /// <summary>
    /// When set, every write (and every retained tombstone) stores now + this lifetime, in epoch seconds, in
    /// <see cref="TimeToLiveAttributeName"/>, so DynamoDB's TTL deletes state that was not written for that long.
    /// The lifetime counts from the last write, not the last read: choose it well above the time a user may stay idle.
    /// The table's TTL must be enabled on that attribute (IaC; with <see cref="CreateIfNotExists"/> it is attempted).
    /// </summary>
    public TimeSpan? TimeToLive { get; set; }

    public string TimeToLiveAttributeName { get; set; } = "expires_at";

    /// <summary>
    /// true (default): clearing deletes the item. false: clearing keeps a tombstone item with a new ETag, so a writer
    /// holding an ETag from before the clear is still refused (with <see cref="TimeToLive"/> the tombstone expires).
    /// </summary>
    public bool DeleteStateOnClear { get; set; } = true;

    /// <summary>
    /// Serializer of the state bytes. Left null, <c>DefaultStorageProviderSerializerOptionsConfigurator</c> fills it
    /// with the serializer registered under the storage name, else the silo's global grain storage serializer.
    /// </summary>
    public IGrainStorageSerializer GrainStorageSerializer { get; set; } = null!;

    /// <summary>
    /// Creates the client, which the storage then owns and disposes when the silo stops. When null, an
    /// <see cref="IAmazonDynamoDB"/> registered in DI is used (and not disposed: it is shared), else a client from the
    /// SDK's default configuration (region and credentials from the environment).
    /// </summary>
    public Func<IServiceProvider, IAmazonDynamoDB>? CreateClient { get; set; }
}
