namespace Personalization.Aws.Configuration;

/// <summary>The wire protocols the services use (<c>metadata.protocol</c> in each model).</summary>
public enum AwsProtocol
{
    /// <summary>"json" 1.1: POST / with X-Amz-Target, errors in <c>__type</c>.</summary>
    AwsJson11,

    /// <summary>"rest-json": operation chosen by method and path, errors in x-amzn-ErrorType.</summary>
    RestJson1,
}
