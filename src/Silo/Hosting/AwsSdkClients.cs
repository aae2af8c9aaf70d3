using Amazon;
using Amazon.DynamoDBv2;
using Amazon.Runtime;
using Amazon.S3;
using Personalization.Aws.Configuration;

namespace Personalization.Silo.Hosting;

/// <summary>
/// The AWS SDK clients (DynamoDB for grain storage, cluster membership, item metadata and <c>catalog load</c>; S3 for
/// <c>s3://</c> data paths), from the same `Aws__*` settings as the project's own AWS clients: `Aws__Region`,
/// `Aws__ServiceUrls__{dynamodb|s3}` (a local server or VPC endpoint), fixed keys when given, otherwise the SDK's
/// default chain (environment, profile, IRSA web identity). `Aws__Timeout` and `Aws__MaxRetries` bound each call:
/// during a table outage a grain's write or a membership heartbeat fails within seconds (and is retried by its
/// caller) instead of hanging for the SDK's default 100 s with DynamoDB's ten retries.
/// </summary>
internal static class AwsSdkClients
{
    public static AmazonDynamoDBClient DynamoDB(AwsClientOptions aws)
    {
        var config = Configure(new AmazonDynamoDBConfig(), "dynamodb", aws);
        return FixedCredentials(aws) is { } credentials ? new AmazonDynamoDBClient(credentials, config) : new AmazonDynamoDBClient(config);
    }

    public static AmazonS3Client S3(AwsClientOptions aws)
    {
        var config = Configure(new AmazonS3Config
        {
            // Objects are only read here; checksums S3 computes on upload are not needed to trust a download (its
            // length and the parse are checked), and local servers do not send them.
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
        }, "s3", aws);

        // A local server such as s3rver has no bucket host names.
        config.ForcePathStyle = config.ServiceURL is not null;
        return FixedCredentials(aws) is { } credentials ? new AmazonS3Client(credentials, config) : new AmazonS3Client(config);
    }

    private static TConfig Configure<TConfig>(TConfig config, string service, AwsClientOptions aws)
        where TConfig : ClientConfig
    {
        config.Timeout = aws.Timeout;
        config.MaxErrorRetry = aws.MaxRetries;
        if (aws.ServiceUrls.TryGetValue(service, out var url))
        {
            config.ServiceURL = url.ToString();
            config.AuthenticationRegion = aws.Region ?? "us-east-1";
        }
        else if (!string.IsNullOrWhiteSpace(aws.Region))
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(aws.Region);
        }

        return config;
    }

    /// <summary>The fixed keys of `Aws__AccessKeyId` / `__SecretAccessKey` / `__SessionToken`; null: the SDK's default chain.</summary>
    private static AWSCredentials? FixedCredentials(AwsClientOptions aws) =>
        string.IsNullOrEmpty(aws.AccessKeyId) ? null
        : string.IsNullOrEmpty(aws.SessionToken) ? new BasicAWSCredentials(aws.AccessKeyId, aws.SecretAccessKey)
        : new SessionAWSCredentials(aws.AccessKeyId, aws.SecretAccessKey, aws.SessionToken);
}
