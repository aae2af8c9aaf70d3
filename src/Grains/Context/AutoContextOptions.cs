namespace Personalization.Grains.Context;

/// <summary>Host-level settings of the automatic context engine (not part of the configuration document).</summary>
public sealed class AutoContextOptions
{
    /// <summary>IANA zone (e.g. "America/New_York") used for hour/day/season rules when the viewer's zone header is absent or unknown.</summary>
    public string DefaultTimeZone { get; set; } = "UTC";

    /// <summary>
    /// When none of the CloudFront device headers (cloudfront-is-*-viewer) are present, answer them from the
    /// User-Agent so CloudFront-shaped rules also work behind other proxies or none.
    /// </summary>
    public bool DeriveDeviceFromUserAgent { get; set; } = true;

    /// <summary>
    /// A header a trusted proxy sets to the viewer's ISO country code (e.g. "cf-ipcountry"), used when
    /// cloudfront-viewer-country is absent. Null disables the fallback: clients could otherwise forge it.
    /// </summary>
    public string? TrustedCountryHeader { get; set; }
}
