using Amazon;
using Amazon.DynamoDBv2;
using Amazon.Runtime;
using Personalization.Aws.Configuration;

namespace Personalization.Silo.Hosting;

/// <summary>
/// The DynamoDB client of grain storage and cluster membership, from the same `Aws__*` settings as the project's own AWS clients:
/// `Aws__Region`, `Aws__ServiceUrls__dynamodb` (a local server or VPC endpoint), fixed keys when given, otherwise the
/// SDK's default chain (environment, profile, IRSA web identity). `Aws__Timeout` and `Aws__MaxRetries` bound each call:
/// during a table outage a grain's write or a membership heartbeat fails within seconds (and is retried by its
/// caller) instead of hanging for the SDK's default 100 s with DynamoDB's ten retries.
/// </summary>
internal static class DynamoDBClientFactory
{
    public static AmazonDynamoDBClient Create(AwsClientOptions aws)
    {
        var config = new AmazonDynamoDBConfig { Timeout = aws.Timeout, MaxErrorRetry = aws.MaxRetries };
        if (aws.ServiceUrls.TryGetValue("dynamodb", out var url))
        {
            config.ServiceURL = url.ToString();
            config.AuthenticationRegion = aws.Region ?? "us-east-1";
        }
        else if (!string.IsNullOrWhiteSpace(aws.Region))
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(aws.Region);
        }

        return FixedCredentials(aws) is { } credentials ? new AmazonDynamoDBClient(credentials, config) : new AmazonDynamoDBClient(config);
    }

    /// <summary>The fixed keys of `Aws__AccessKeyId` / `__SecretAccessKey` / `__SessionToken`; null: the SDK's default chain.</summary>
    public static AWSCredentials? FixedCredentials(AwsClientOptions aws) =>
        string.IsNullOrEmpty(aws.AccessKeyId) ? null
        : string.IsNullOrEmpty(aws.SessionToken) ? new BasicAWSCredentials(aws.AccessKeyId, aws.SecretAccessKey)
        : new SessionAWSCredentials(aws.AccessKeyId, aws.SecretAccessKey, aws.SessionToken);
}
