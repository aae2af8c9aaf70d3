using Amazon.Runtime;

namespace Personalization.Aws.Configuration;

/// <summary>Chooses region and endpoint: explicit settings first, then the SDK's region chain.</summary>
public sealed class AwsEndpointResolver
{
    private readonly AwsClientOptions _options;
    private readonly Lazy<string> _region;

    public AwsEndpointResolver(AwsClientOptions options)
    {
        _options = options;
        _region = new Lazy<string>(ResolveRegion);
    }

    public string Region => _region.Value;

    public Uri Endpoint(AwsService service)
    {
        if (_options.ServiceUrls.TryGetValue(service.EndpointPrefix, out var url))
        {
            return url;
        }

        var suffix = Region.StartsWith("cn-", StringComparison.Ordinal) ? "amazonaws.com.cn" : "amazonaws.com";
        return new Uri($"https://{service.HostPrefix ?? service.EndpointPrefix}.{Region}.{suffix}");
    }

    private string ResolveRegion()
    {
        if (!string.IsNullOrWhiteSpace(_options.Region))
        {
            return _options.Region;
        }

        return FallbackRegionFactory.GetRegionEndpoint()?.SystemName
            ?? throw new InvalidOperationException(
                "No AWS region configured: set Aws:Region, AWS_REGION, or a region in the AWS profile.");
    }
}
