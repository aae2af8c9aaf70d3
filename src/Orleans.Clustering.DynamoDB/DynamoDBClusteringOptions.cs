using Amazon.DynamoDBv2;

namespace Personalization.Orleans.Clustering.DynamoDB;

/// <summary>
/// Options of DynamoDB cluster membership (silos) and of the gateway list (external clients). The table has one hash
/// key, <c>ClusterId</c> (S), and holds one item per cluster ("{ServiceId}/{ClusterId}"), so several services and
/// clusters can share a table.
/// </summary>
public sealed class DynamoDBClusteringOptions
{
    public const string DefaultTableName = "PersonalizationSilos";

    public string TableName { get; set; } = DefaultTableName;

    /// <summary>
    /// Create the table (PAY_PER_REQUEST) at start when it does not exist; needs DescribeTable and CreateTable rights.
    /// Off by default: production tables come from infrastructure code, and providers that create or resize tables at
    /// every start are a known upstream problem (dotnet/orleans #7683).
    /// </summary>
    public bool CreateIfNotExists { get; set; }

    /// <summary>
    /// Creates the client, which the membership table (or gateway list) then owns and disposes. When null, an
    /// <see cref="IAmazonDynamoDB"/> registered in DI is used (and not disposed: it is shared), else a client from the
    /// SDK's default configuration (region and credentials from the environment).
    /// </summary>
    public Func<IServiceProvider, IAmazonDynamoDB>? CreateClient { get; set; }
}
