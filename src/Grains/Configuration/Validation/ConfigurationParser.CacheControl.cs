using System.Text.Json;

namespace Personalization.Grains.Configuration;

public static partial class ConfigurationParser
{
    private static CacheControlConfig? ParseCacheControl(JsonElement element, string path, DocumentReader reader)
    {
        if (!reader.ExpectObject(element, path))
        {
            return null;
        }

        var errorsBefore = reader.Errors.Count;
        var autoProvision = reader.OptBool(element, "autoProvision", path);
        var inherited = new CacheExtensions(
            (int?)reader.OptInteger(element, "staleWhileRevalidate", path, 0, int.MaxValue),
            (int?)reader.OptInteger(element, "staleIfError", path, 0, int.MaxValue),
            (int?)reader.OptInteger(element, "fallbackMaxAge", path, 0, int.MaxValue));
        var user = ParseCachePolicy(element, "userSpecified", path, inherited, reader);
        var synthetic = ParseCachePolicy(element, "syntheticUserSpecified", path, inherited, reader);
        var noUser = ParseCachePolicy(element, "noUserSpecified", path, inherited, reader);
        return reader.Errors.Count > errorsBefore ? null : new CacheControlConfig(autoProvision, user, synthetic, noUser);
    }

    /// <summary>The extension settings a `cacheControl` object may give once for all its user classes.</summary>
    private sealed record CacheExtensions(int? StaleWhileRevalidate, int? StaleIfError, int? FallbackMaxAge);

    private static CachePolicy ParseCachePolicy(JsonElement parent, string name, string parentPath, CacheExtensions inherited, DocumentReader reader)
    {
        var path = DocumentReader.Child(parentPath, name);
        if (!DocumentReader.TryGet(parent, name, out var element))
        {
            reader.Warn(path, "missing; responses for this user class are not cached");
            return CachePolicy.NoCaching;
        }

        if (!reader.ExpectObject(element, path))
        {
            return CachePolicy.NoCaching;
        }

        var maxAge = (int?)reader.OptInteger(element, "maxAge", path, 0, int.MaxValue);
        var directives = reader.OptString(element, "directives", path);
        var stale = (int?)reader.OptInteger(element, "staleWhileRevalidate", path, 0, int.MaxValue) ?? inherited.StaleWhileRevalidate;
        var staleIfError = (int?)reader.OptInteger(element, "staleIfError", path, 0, int.MaxValue) ?? inherited.StaleIfError;
        var fallbackMaxAge = (int?)reader.OptInteger(element, "fallbackMaxAge", path, 0, int.MaxValue) ?? inherited.FallbackMaxAge;
        if (!DocumentReader.TryGet(element, "maxAge", out _) && !DocumentReader.TryGet(element, "directives", out _))
        {
            reader.Error(path, "needs maxAge or directives");
        }

        if (directives is not null && directives.Contains("max-age", StringComparison.OrdinalIgnoreCase))
        {
            reader.Error(DocumentReader.Child(path, "directives"), "must not contain max-age (set maxAge instead)");
        }

        return new CachePolicy(maxAge, directives, stale, staleIfError, fallbackMaxAge);
    }
}
