using Orleans;
using Orleans.Runtime;

namespace Personalization.Orleans.Clustering.DynamoDB;

/// <summary>Checked at silo or client start (as an <see cref="IConfigurationValidator"/>) and again by the providers' constructors.</summary>
public sealed class DynamoDBClusteringOptionsValidator(DynamoDBClusteringOptions options) : IConfigurationValidator
{
    public void ValidateConfiguration()
    {
        // DynamoDB table names: 3-255 characters of [a-zA-Z0-9_.-].
        if (string.IsNullOrWhiteSpace(options.TableName) || options.TableName.Length is < 3 or > 255
            || !options.TableName.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.'))
        {
            throw new OrleansConfigurationException(
                $"DynamoDB clustering: TableName '{options.TableName}' is not a valid DynamoDB table name (3-255 of a-z, A-Z, 0-9, _ - .).");
        }
    }
}
