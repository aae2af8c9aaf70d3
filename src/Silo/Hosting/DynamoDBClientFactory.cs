using Amazon;
using Amazon.DynamoDBv2;
using Amazon.Runtime;
using Personalization.Aws.Configuration;

namespace Personalization.Silo.Hosting;

/// <summary>
/// The DynamoDB client of grain storage and cluster membership, from the same `Aws__*` settings as the project's own AWS clients:
/// `Aws__Region`, `Aws__ServiceUrls__dynamodb` (a local server or VPC endpoint), fixed keys when given, otherwise the
/// SDK's default chain (environment, profile, IRSA web identity).
/// </summary>
internal static class DynamoDBClientFactory
{
    public static AmazonDynamoDBClient Create(AwsClientOptions aws)
    {
        var config = new AmazonDynamoDBConfig();
        if (aws.ServiceUrls.TryGetValue("dynamodb", out var url))
        {
            config.ServiceURL = url.ToString();
            config.AuthenticationRegion = aws.Region ?? "us-east-1";
        }
        else if (!string.IsNullOrWhiteSpace(aws.Region))
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(aws.Region);
        }

        if (string.IsNullOrEmpty(aws.AccessKeyId))
        {
            return new AmazonDynamoDBClient(config);
        }

        AWSCredentials credentials = string.IsNullOrEmpty(aws.SessionToken)
            ? new BasicAWSCredentials(aws.AccessKeyId, aws.SecretAccessKey)
            : new SessionAWSCredentials(aws.AccessKeyId, aws.SecretAccessKey, aws.SessionToken);
        return new AmazonDynamoDBClient(credentials, config);
    }
}
