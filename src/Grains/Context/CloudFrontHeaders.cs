namespace Personalization.Grains.Context;

/// <summary>Header names CloudFront adds for the viewer (lower case, as the original looks them up).</summary>
public static class CloudFrontHeaders
{
    public const string TimeZone = "cloudfront-viewer-time-zone";
    public const string Latitude = "cloudfront-viewer-latitude";
    public const string Country = "cloudfront-viewer-country";
    public const string IsDesktop = "cloudfront-is-desktop-viewer";
    public const string IsMobile = "cloudfront-is-mobile-viewer";
    public const string IsSmartTv = "cloudfront-is-smarttv-viewer";
    public const string IsTablet = "cloudfront-is-tablet-viewer";
    public const string IsAndroid = "cloudfront-is-android-viewer";
    public const string IsIos = "cloudfront-is-ios-viewer";

    public static readonly string[] DeviceHeaders = [IsDesktop, IsMobile, IsSmartTv, IsTablet, IsAndroid, IsIos];
}
