using Personalization.Grains.Context;
using Xunit;
using static Personalization.Grains.Tests.Context.ContextTestData;

namespace Personalization.Grains.Tests.Context;

public class ViewerHeaderTests
{
    private static readonly DateTimeOffset Noon = new(2026, 1, 5, 12, 0, 0, TimeSpan.Zero);

    // The deviceType field of the original's config_auto_context sample.
    private static readonly AutoContextConfig DeviceType = Parse("""
        { "deviceType": { "type": "string", "default": "Desktop", "evaluateAll": true, "rules": [
            { "type": "header-value", "header": "cloudfront-is-desktop-viewer", "valueMappings": [{ "operator": "equals", "value": "true", "mapTo": "Desktop" }] },
            { "type": "header-value", "header": "cloudfront-is-mobile-viewer", "valueMappings": [{ "operator": "equals", "value": "true", "mapTo": "Phone" }] },
            { "type": "header-value", "header": "cloudfront-is-smarttv-viewer", "valueMappings": [{ "operator": "equals", "value": "true", "mapTo": "TV" }] },
            { "type": "header-value", "header": "cloudfront-is-tablet-viewer", "valueMappings": [{ "operator": "equals", "value": "true", "mapTo": "Tablet" }] } ] } }
        """);

    private const string IPhone = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1";
    private const string IPad = "Mozilla/5.0 (iPad; CPU OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1";
    private const string AndroidPhone = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Mobile Safari/537.36";
    private const string AndroidTablet = "Mozilla/5.0 (Linux; Android 13; SM-X710) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36";
    private const string Windows = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36";
    private const string Tizen = "Mozilla/5.0 (SMART-TV; LINUX; Tizen 6.0) AppleWebKit/537.36 (KHTML, like Gecko) 76.0 TV Safari/537.36";

    [Theory]
    [InlineData(IPhone, DeviceKind.Mobile)]
    [InlineData(IPad, DeviceKind.Tablet)]
    [InlineData(AndroidPhone, DeviceKind.Mobile)]
    [InlineData(AndroidTablet, DeviceKind.Tablet)]
    [InlineData(Windows, DeviceKind.Desktop)]
    [InlineData(Tizen, DeviceKind.SmartTv)]
    [InlineData(null, DeviceKind.Desktop)]
    public void User_agent_classification(string? userAgent, DeviceKind kind) => Assert.Equal(kind, UserAgentDevice.Classify(userAgent));

    [Theory]
    [InlineData(IPhone, "Phone")]
    [InlineData(IPad, "Tablet")]
    [InlineData(Tizen, "TV")]
    [InlineData(Windows, "Desktop")]
    public void Device_rules_work_from_the_user_agent_without_cloudfront(string userAgent, string expected)
    {
        var context = Resolver().Resolve(DeviceType, Headers(("User-Agent", userAgent)), Noon);

        Assert.Equal([expected], context["deviceType"]!.Values);
    }

    [Fact]
    public void Cloudfront_device_headers_win_over_the_user_agent()
    {
        var headers = Headers(("User-Agent", IPhone), ("CloudFront-Is-Desktop-Viewer", "true"), ("CloudFront-Is-Mobile-Viewer", "false"));

        Assert.Equal(["Desktop"], Resolver().Resolve(DeviceType, headers, Noon)["deviceType"]!.Values);
    }

    [Fact]
    public void User_agent_derivation_can_be_turned_off()
    {
        var resolver = Resolver(new AutoContextOptions { DeriveDeviceFromUserAgent = false });

        Assert.Equal(["Desktop"], resolver.Resolve(DeviceType, Headers(("User-Agent", IPhone)), Noon)["deviceType"]!.Values);
    }

    [Fact]
    public void Android_and_ios_viewer_headers_are_derived_too()
    {
        var os = Parse("""
            { "os": { "type": "string", "evaluateAll": true, "rules": [
                { "type": "header-value", "header": "cloudfront-is-ios-viewer", "valueMappings": [{ "operator": "equals", "value": "true", "mapTo": "ios" }] },
                { "type": "header-value", "header": "cloudfront-is-android-viewer", "valueMappings": [{ "operator": "equals", "value": "true", "mapTo": "android" }] } ] } }
            """);

        Assert.Equal(["ios"], Resolver().Resolve(os, Headers(("user-agent", IPad)), Noon)["os"]!.Values);
        Assert.Equal(["android"], Resolver().Resolve(os, Headers(("user-agent", AndroidPhone)), Noon)["os"]!.Values);
    }

    [Fact]
    public void Country_comes_from_a_trusted_header_only_when_configured()
    {
        var country = Field("string", """{ "type": "header-value", "header": "cloudfront-viewer-country" }""");
        var headers = Headers(("CF-IPCountry", "de"));

        Assert.Equal(["DE"], Values(Resolver(new AutoContextOptions { TrustedCountryHeader = "cf-ipcountry" }).Resolve(country, headers, Noon)));
        Assert.Null(Values(Resolver().Resolve(country, headers, Noon)));
        Assert.Equal(
            ["FR"],
            Values(Resolver(new AutoContextOptions { TrustedCountryHeader = "cf-ipcountry" }).Resolve(country, Headers(("CF-IPCountry", "DE"), ("cloudfront-viewer-country", "FR")), Noon)));
    }
}
