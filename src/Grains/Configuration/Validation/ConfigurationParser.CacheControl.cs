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
        var stale = (int?)reader.OptInteger(element, "staleWhileRevalidate", path, 0, int.MaxValue);
        var user = ParseCachePolicy(element, "userSpecified", path, stale, reader);
        var synthetic = ParseCachePolicy(element, "syntheticUserSpecified", path, stale, reader);
        var noUser = ParseCachePolicy(element, "noUserSpecified", path, stale, reader);
        return reader.Errors.Count > errorsBefore ? null : new CacheControlConfig(autoProvision, user, synthetic, noUser);
    }

    private static CachePolicy ParseCachePolicy(JsonElement parent, string name, string parentPath, int? inheritedStale, DocumentReader reader)
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
        var stale = (int?)reader.OptInteger(element, "staleWhileRevalidate", path, 0, int.MaxValue) ?? inheritedStale;
        if (!DocumentReader.TryGet(element, "maxAge", out _) && !DocumentReader.TryGet(element, "directives", out _))
        {
            reader.Error(path, "needs maxAge or directives");
        }

        if (directives is not null && directives.Contains("max-age", StringComparison.OrdinalIgnoreCase))
        {
            reader.Error(DocumentReader.Child(path, "directives"), "must not contain max-age (set maxAge instead)");
        }

        return new CachePolicy(maxAge, directives, stale);
    }
}
