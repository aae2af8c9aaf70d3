namespace Personalization.Grains.Context;

/// <summary>
/// Coarse device classification from a User-Agent, mirroring what CloudFront reports. Token checks, not a
/// full UA database: good enough for context features such as "Phone" vs "Desktop".
/// </summary>
public static class UserAgentDevice
{
    private static readonly string[] TvTokens = ["SmartTV", "SMART-TV", "HbbTV", "AppleTV", "GoogleTV", "Roku", "CrKey", "BRAVIA", "AFTB", "AFTS", "AFTM", "Web0S", "WebOS", "NetCast", "Tizen"];
    private static readonly string[] TabletTokens = ["iPad", "Tablet", "Kindle", "Silk/", "PlayBook"];
    private static readonly string[] MobileTokens = ["Mobi", "iPhone", "iPod", "Windows Phone", "BlackBerry", "BB10", "Opera Mini", "IEMobile"];

    public static DeviceKind Classify(string? userAgent)
    {
        if (string.IsNullOrEmpty(userAgent))
        {
            return DeviceKind.Desktop;
        }

        if (ContainsAny(userAgent, TvTokens))
        {
            return DeviceKind.SmartTv;
        }

        if (ContainsAny(userAgent, TabletTokens))
        {
            return DeviceKind.Tablet;
        }

        // Android phones say "Mobile"; Android tablets do not.
        if (Contains(userAgent, "Android"))
        {
            return Contains(userAgent, "Mobile") ? DeviceKind.Mobile : DeviceKind.Tablet;
        }

        return ContainsAny(userAgent, MobileTokens) ? DeviceKind.Mobile : DeviceKind.Desktop;
    }

    public static bool IsAndroid(string? userAgent) => userAgent is not null && Contains(userAgent, "Android");

    public static bool IsIos(string? userAgent) =>
        userAgent is not null && (Contains(userAgent, "iPhone") || Contains(userAgent, "iPad") || Contains(userAgent, "iPod"));

    private static bool ContainsAny(string text, string[] tokens)
    {
        foreach (var token in tokens)
        {
            if (Contains(text, token))
            {
                return true;
            }
        }

        return false;
    }

    private static bool Contains(string text, string token) => text.Contains(token, StringComparison.OrdinalIgnoreCase);
}
