namespace Personalization.Grains.Context;

/// <summary>
/// The request headers as the rules see them: CloudFront device headers answered from the User-Agent when
/// CloudFront sent none, and the viewer country answered from a trusted proxy header when configured.
/// </summary>
internal sealed class ViewerHeaders : IRequestHeaders
{
    private readonly IRequestHeaders _inner;
    private readonly AutoContextOptions _options;
    private int _cloudFrontDevice; // 0 unknown, 1 present, 2 absent

    public ViewerHeaders(IRequestHeaders inner, AutoContextOptions options)
    {
        _inner = inner;
        _options = options;
    }

    public string? Get(string name)
    {
        var value = _inner.Get(name);
        if (value is not null)
        {
            return value;
        }

        if (_options.TrustedCountryHeader is { } countryHeader && name.Equals(CloudFrontHeaders.Country, StringComparison.OrdinalIgnoreCase))
        {
            return _inner.Get(countryHeader)?.Trim().ToUpperInvariant();
        }

        return _options.DeriveDeviceFromUserAgent && IsDeviceHeader(name) && !HasCloudFrontDeviceHeaders()
            ? DeriveDevice(name)
            : null;
    }

    private static bool IsDeviceHeader(string name)
    {
        foreach (var header in CloudFrontHeaders.DeviceHeaders)
        {
            if (header.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private bool HasCloudFrontDeviceHeaders()
    {
        if (_cloudFrontDevice == 0)
        {
            _cloudFrontDevice = Array.Exists(CloudFrontHeaders.DeviceHeaders, h => _inner.Get(h) is not null) ? 1 : 2;
        }

        return _cloudFrontDevice == 1;
    }

    private string DeriveDevice(string name)
    {
        var userAgent = _inner.Get("user-agent");
        var kind = UserAgentDevice.Classify(userAgent);
        var answer = name.ToLowerInvariant() switch
        {
            CloudFrontHeaders.IsDesktop => kind == DeviceKind.Desktop,
            CloudFrontHeaders.IsMobile => kind == DeviceKind.Mobile,
            CloudFrontHeaders.IsTablet => kind == DeviceKind.Tablet,
            CloudFrontHeaders.IsSmartTv => kind == DeviceKind.SmartTv,
            CloudFrontHeaders.IsAndroid => UserAgentDevice.IsAndroid(userAgent),
            _ => UserAgentDevice.IsIos(userAgent),
        };
        return answer ? "true" : "false";
    }
}
