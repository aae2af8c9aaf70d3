namespace Personalization.Aws.Configuration;

/// <summary>Settings shared by every AWS client (bind from configuration section "Aws").</summary>
public sealed class AwsClientOptions
{
    /// <summary>Region such as eu-west-1; when null the SDK chain (AWS_REGION, profile, instance metadata) decides.</summary>
    public string? Region { get; set; }

    /// <summary>
    /// Endpoint overrides keyed by service endpoint prefix (personalize-runtime, personalize-events, personalize,
    /// kinesis, firehose, appconfigdata, lambda, sagemaker-runtime), for local servers and VPC endpoints.
    /// </summary>
    public Dictionary<string, Uri> ServiceUrls { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Deadline for one call including its retries.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Retries after the first attempt for throttling and 5xx; 0 disables retries.</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>First backoff; later ones grow exponentially with jitter.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(50);

    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(2);

    public int MaxConnectionsPerEndpoint { get; set; } = 512;

    /// <summary>Recycles pooled connections so DNS changes of the endpoint are picked up.</summary>
    public TimeSpan PooledConnectionLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Optional fixed credentials (local servers); otherwise the SDK default chain is used.</summary>
    public string? AccessKeyId { get; set; }

    public string? SecretAccessKey { get; set; }

    public string? SessionToken { get; set; }

    /// <summary>Throws a readable error for settings that cannot work.</summary>
    public void Validate()
    {
        if (Timeout <= TimeSpan.Zero)
        {
            throw new ArgumentException($"Aws:Timeout must be positive (was {Timeout}).");
        }

        if (MaxRetries is < 0 or > 20)
        {
            throw new ArgumentException($"Aws:MaxRetries must be between 0 and 20 (was {MaxRetries}).");
        }

        if (RetryBaseDelay < TimeSpan.Zero || RetryMaxDelay < RetryBaseDelay)
        {
            throw new ArgumentException("Aws:RetryBaseDelay must be >= 0 and <= Aws:RetryMaxDelay.");
        }

        if (string.IsNullOrEmpty(AccessKeyId) != string.IsNullOrEmpty(SecretAccessKey))
        {
            throw new ArgumentException("Aws:AccessKeyId and Aws:SecretAccessKey must be given together.");
        }

        foreach (var (service, url) in ServiceUrls)
        {
            if (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
            {
                throw new ArgumentException($"Aws:ServiceUrls:{service} must be an absolute http(s) URL (was '{url}').");
            }
        }
    }
}
