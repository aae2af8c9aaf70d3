using Amazon;
using Amazon.Runtime;
using Amazon.S3;
using Personalization.Aws.Configuration;

namespace Personalization.Silo.Hosting;

/// <summary>
/// The S3 client of <c>s3://</c> data paths and <c>catalog load</c>, from the same `Aws__*` settings as
/// <see cref="DynamoDBClientFactory"/>: `Aws__ServiceUrls__s3` points it at a local server such as s3rver (path-style
/// addressing then, since a local server has no bucket host names), `Aws__Timeout` and `Aws__MaxRetries` bound each call.
/// </summary>
internal static class S3ClientFactory
{
    public static AmazonS3Client Create(AwsClientOptions aws)
    {
        var config = new AmazonS3Config
        {
            Timeout = aws.Timeout,
            MaxErrorRetry = aws.MaxRetries,

            // Objects are only read here; checksums S3 computes on upload are not needed to trust a download (its
            // length and the parse are checked), and local servers do not send them.
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
        };
        if (aws.ServiceUrls.TryGetValue("s3", out var url))
        {
            config.ServiceURL = url.ToString();
            config.ForcePathStyle = true;
            config.AuthenticationRegion = aws.Region ?? "us-east-1";
        }
        else if (!string.IsNullOrWhiteSpace(aws.Region))
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(aws.Region);
        }

        return DynamoDBClientFactory.FixedCredentials(aws) is { } credentials ? new AmazonS3Client(credentials, config) : new AmazonS3Client(config);
    }
}
