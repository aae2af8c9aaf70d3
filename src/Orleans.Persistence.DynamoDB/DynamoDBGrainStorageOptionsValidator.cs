using Orleans;
using Orleans.Runtime;

namespace Personalization.Orleans.Persistence.DynamoDB;

/// <summary>Checked at silo start (as an <see cref="IConfigurationValidator"/>) and again by the storage's constructor.</summary>
public sealed class DynamoDBGrainStorageOptionsValidator(DynamoDBGrainStorageOptions options, string name) : IConfigurationValidator
{
    public void ValidateConfiguration()
    {
        // DynamoDB table names: 3-255 characters of [a-zA-Z0-9_.-].
        if (string.IsNullOrWhiteSpace(options.TableName) || options.TableName.Length is < 3 or > 255
            || !options.TableName.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.'))
        {
            Fail($"TableName '{options.TableName}' is not a valid DynamoDB table name (3-255 of a-z, A-Z, 0-9, _ - .).");
        }

        if (options.GrainStorageSerializer is null)
        {
            Fail("GrainStorageSerializer is not set (register the storage with AddDynamoDBGrainStorage, which fills it).");
        }

        if (options.TimeToLive is { } ttl && ttl < TimeSpan.FromSeconds(1))
        {
            Fail($"TimeToLive must be at least one second (was {ttl}).");
        }

        if (string.IsNullOrWhiteSpace(options.TimeToLiveAttributeName)
            || options.TimeToLiveAttributeName is DynamoDBGrainStorage.HashKey or DynamoDBGrainStorage.RangeKey
                or DynamoDBGrainStorage.EtagAttribute or DynamoDBGrainStorage.StateAttribute)
        {
            Fail($"TimeToLiveAttributeName '{options.TimeToLiveAttributeName}' must be set and differ from the item's own attributes.");
        }

        if (options.UseProvisionedThroughput && (options.ReadCapacityUnits < 1 || options.WriteCapacityUnits < 1))
        {
            Fail("ReadCapacityUnits and WriteCapacityUnits must be at least 1 with UseProvisionedThroughput.");
        }
    }

    private void Fail(string problem) =>
        throw new OrleansConfigurationException($"DynamoDB grain storage '{name}': {problem}");
}
