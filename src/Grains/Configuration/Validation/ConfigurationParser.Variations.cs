using System.Text.Json;
using Personalization.Grains.Context;

namespace Personalization.Grains.Configuration;

public static partial class ConfigurationParser
{
    private static ResolvedVariation? ParseVariation(
        RecommenderAction action, string key, JsonElement element, string path, Inherited parent, DocumentReader reader, bool isFallback = false)
    {
        if (!isFallback && !KeyPattern().IsMatch(key))
        {
            reader.Error(path, "variation key must match ^[a-zA-Z0-9_-]+$");
        }

        if (!reader.ExpectObject(element, path))
        {
            return null;
        }

        var typeName = reader.ReqString(element, "type", path);
        if (typeName is null)
        {
            return null;
        }

        VariationType? type = typeName switch
        {
            "personalize-campaign" => VariationType.PersonalizeCampaign,
            "personalize-recommender" => VariationType.PersonalizeRecommender,
            "lambda" or "function" => VariationType.Lambda,
            "sagemaker" => VariationType.SageMaker,
            "http" => VariationType.Http,
            "builtin" => VariationType.Builtin,
            _ => null,
        };
        if (type is null)
        {
            reader.Error(
                DocumentReader.Child(path, "type"),
                $"unknown variation type '{typeName}' (expected personalize-campaign, personalize-recommender, lambda, sagemaker, http or builtin)");
            return null;
        }

        string? arn = null, endpointName = null, url = null, qualifier = null;
        BuiltinOptions? builtin = null;
        switch (type.Value)
        {
            case VariationType.PersonalizeCampaign or VariationType.PersonalizeRecommender:
                arn = ReadArn(element, path, "a Personalize campaign or recommender ARN", Arns.PersonalizeRecommender(), reader);
                break;
            case VariationType.Lambda:
                (arn, qualifier) = ReadFunction(element, path, reader);
                break;
            case VariationType.SageMaker:
                endpointName = ReadEndpointName(element, path, reader);
                break;
            case VariationType.Http:
                url = ReadHttpUrl(element, path, reader);
                break;
            default:
                builtin = ParseBuiltin(action, element, path, reader);
                break;
        }

        var inherited = ReadLevel(element, path, parent, reader);
        var legacyFilterValues = ReadLegacyFilter(element, path, reader);
        var maxRequestsPerSecond = (int?)reader.OptInteger(element, "maxRequestsPerSecond", path, 1, 1_000_000);
        if (maxRequestsPerSecond is not null && type.Value == VariationType.Builtin)
        {
            reader.Warn(DocumentReader.Child(path, "maxRequestsPerSecond"), "ignored: the built-in recommender runs in the silo and has no quota");
        }

        var promotions = DocumentReader.TryGet(element, "promotions", out var promotionsElement)
            ? ParsePromotions(action, type.Value, promotionsElement, DocumentReader.Child(path, "promotions"), reader)
            : [];

        IReadOnlyList<ResolvedVariation>? fallbacks = null;
        if (DocumentReader.TryGet(element, "fallbacks", out var fallbacksElement))
        {
            var fallbacksPath = DocumentReader.Child(path, "fallbacks");
            fallbacks = isFallback
                ? ErrorNested(fallbacksPath, reader)
                : ParseFallbacks(action, key, fallbacksElement, fallbacksPath, inherited, reader);
        }

        return new ResolvedVariation(
            key, type.Value, arn, endpointName, url, builtin,
            inherited.CacheControl, inherited.Filters, inherited.AutoContext, inherited.ItemMetadata, legacyFilterValues,
            fallbacks, inherited.FallbackToTrending, maxRequestsPerSecond)
        {
            Qualifier = qualifier,
            Promotions = promotions,
            Document = WithInherited(element, inherited.Documents),
        };
    }

    /// <summary>
    /// A Lambda function as Invoke names it: `arn` holds a full ARN, a partial ARN or a plain name (each optionally
    /// with :version or :alias); `qualifier` optionally names the version or alias instead.
    /// </summary>
    private static (string? Function, string? Qualifier) ReadFunction(JsonElement element, string path, DocumentReader reader)
    {
        var function = reader.ReqString(element, "arn", path);
        var qualifier = reader.OptString(element, "qualifier", path);
        if (qualifier is not null && !QualifierPattern().IsMatch(qualifier))
        {
            reader.Error(DocumentReader.Child(path, "qualifier"), $"'{qualifier}' is not a Lambda version or alias (1-128 of A-Z a-z 0-9 $ _ -)");
            qualifier = null;
        }

        if (function is null)
        {
            return (null, qualifier);
        }

        if (Arns.IsPlaceholder(function))
        {
            reader.Warn(DocumentReader.Child(path, "arn"), "placeholder ARN; calls through it fail until it is replaced");
        }
        else if (!Arns.LambdaFunction().IsMatch(function) && !Arns.LambdaFunctionName().IsMatch(function))
        {
            reader.Error(DocumentReader.Child(path, "arn"), $"'{function}' is not a Lambda function ARN or name");
            return (null, qualifier);
        }

        // The original's schema spells ARNs "function/name"; Invoke takes only "function:name".
        return (function.Replace(":function/", ":function:", StringComparison.Ordinal), qualifier);
    }

    private static string? ReadEndpointName(JsonElement element, string path, DocumentReader reader)
    {
        var name = reader.ReqString(element, "endpointName", path);
        if (name is not null && !EndpointNamePattern().IsMatch(name))
        {
            reader.Error(DocumentReader.Child(path, "endpointName"), $"'{name}' is not a SageMaker endpoint name (1-63 letters, digits and inner hyphens)");
            return null;
        }

        return name;
    }

    /// <summary>`promotions` of a Personalize variation, as GetRecommendations takes them (at most one).</summary>
    private static IReadOnlyList<PromotionConfig> ParsePromotions(RecommenderAction action, VariationType type, JsonElement element, string path, DocumentReader reader)
    {
        if (type is not (VariationType.PersonalizeCampaign or VariationType.PersonalizeRecommender))
        {
            reader.Error(path, "promotions are a Personalize feature; only personalize-campaign and personalize-recommender variations take them");
            return [];
        }

        if (action == RecommenderAction.RerankItems)
        {
            reader.Error(path, "promotions apply to recommend-items and related-items (GetRecommendations), not to rerank-items");
            return [];
        }

        if (element.ValueKind != JsonValueKind.Array)
        {
            reader.Error(path, "must be an array of promotion objects");
            return [];
        }

        if (element.GetArrayLength() > 1)
        {
            reader.Error(path, "Personalize takes at most one promotion per request");
            return [];
        }

        var promotions = new List<PromotionConfig>();
        var index = 0;
        foreach (var item in element.EnumerateArray())
        {
            var itemPath = DocumentReader.Index(path, index++);
            if (!reader.ExpectObject(item, itemPath))
            {
                continue;
            }

            var name = reader.ReqString(item, "name", itemPath);
            if (name is not null && !PromotionNamePattern().IsMatch(name))
            {
                reader.Error(DocumentReader.Child(itemPath, "name"), $"'{name}' is not a promotion name (1-63 characters: a letter or digit, then letters, digits, - and _)");
                name = null;
            }

            var percent = reader.OptInteger(item, "percentPromotedItems", itemPath, 1, 100);
            if (percent is null && !DocumentReader.TryGet(item, "percentPromotedItems", out _))
            {
                reader.Error(DocumentReader.Child(itemPath, "percentPromotedItems"), "is required");
            }

            var filterArn = reader.ReqString(item, "filterArn", itemPath);
            if (filterArn is not null && !Arns.IsPlaceholder(filterArn) && !Arns.PersonalizeFilter().IsMatch(filterArn))
            {
                reader.Error(DocumentReader.Child(itemPath, "filterArn"), $"'{filterArn}' is not a Personalize filter ARN");
                filterArn = null;
            }

            var values = DocumentReader.TryGet(item, "filterValues", out var valuesElement)
                ? ParseFilterValues(valuesElement, DocumentReader.Child(itemPath, "filterValues"), reader)
                : new Dictionary<string, string>();
            if (name is not null && percent is not null && filterArn is not null && values is not null)
            {
                promotions.Add(new PromotionConfig(name, (int)percent.Value, filterArn, values));
            }
        }

        return promotions;
    }

    /// <summary>Filter values as Personalize takes them: at most 25, names [A-Za-z0-9_]{1,50}, string values of at most 1000 characters.</summary>
    private static Dictionary<string, string>? ParseFilterValues(JsonElement element, string path, DocumentReader reader)
    {
        if (!reader.ExpectObject(element, path))
        {
            return null;
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var ok = true;
        foreach (var (key, value, valuePath) in reader.Properties(element, path))
        {
            if (!FilterValueNamePattern().IsMatch(key))
            {
                reader.Error(valuePath, "a filter value name is 1-50 letters, digits or _");
                ok = false;
            }
            else if (value.ValueKind != JsonValueKind.String || value.GetString()!.Length > 1000)
            {
                reader.Error(valuePath, "must be a string of at most 1000 characters (e.g. \"\\\"comedy\\\"\")");
                ok = false;
            }
            else
            {
                values[key] = value.GetString()!;
            }
        }

        if (values.Count > 25)
        {
            reader.Error(path, "Personalize takes at most 25 filter values");
            ok = false;
        }

        return ok ? values : null;
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^[a-zA-Z0-9$_\-]{1,128}$")]
    private static partial System.Text.RegularExpressions.Regex QualifierPattern();

    [System.Text.RegularExpressions.GeneratedRegex(@"^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$")]
    private static partial System.Text.RegularExpressions.Regex EndpointNamePattern();

    [System.Text.RegularExpressions.GeneratedRegex(@"^[a-zA-Z0-9][a-zA-Z0-9\-_]{0,62}$")]
    private static partial System.Text.RegularExpressions.Regex PromotionNamePattern();

    [System.Text.RegularExpressions.GeneratedRegex(@"^[A-Za-z0-9_]{1,50}$")]
    private static partial System.Text.RegularExpressions.Regex FilterValueNamePattern();

    private static IReadOnlyList<ResolvedVariation>? ErrorNested(string path, DocumentReader reader)
    {
        reader.Error(path, "a fallback cannot have fallbacks of its own; list them all on the variation");
        return null;
    }

    /// <summary>
    /// Inline variations tried in order when the primary fails. Each inherits the primary variation's settings (cache,
    /// filters, context, metadata) and may override them like any variation. Keys are derived for messages and metrics.
    /// </summary>
    private static List<ResolvedVariation>? ParseFallbacks(
        RecommenderAction action, string primaryKey, JsonElement element, string path, Inherited primary, DocumentReader reader)
    {
        if (element.ValueKind != JsonValueKind.Array)
        {
            reader.Error(path, "must be an array of variation objects");
            return null;
        }

        var fallbacks = new List<ResolvedVariation>();
        var index = 0;
        foreach (var item in element.EnumerateArray())
        {
            var itemPath = DocumentReader.Index(path, index++);
            var fallbackKey = primaryKey + "/fallback-" + index.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (ParseVariation(action, fallbackKey, item, itemPath, primary, reader, isFallback: true) is { } fallback)
            {
                fallbacks.Add(fallback);
            }
        }

        return fallbacks;
    }

    private static string? ReadHttpUrl(JsonElement element, string path, DocumentReader reader)
    {
        var url = reader.ReqString(element, "url", path);
        if (url is null)
        {
            return null;
        }

        // The original formats the URL with the query parameters ("{userId}"), so braces are allowed.
        var probe = url.Replace("{", "", StringComparison.Ordinal).Replace("}", "", StringComparison.Ordinal);
        if (!Uri.TryCreate(probe, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            reader.Error(DocumentReader.Child(path, "url"), $"'{url}' is not an absolute http or https URL");
            return null;
        }

        return url;
    }

    private static BuiltinOptions? ParseBuiltin(RecommenderAction action, JsonElement element, string path, DocumentReader reader)
    {
        var algorithmName = reader.OptString(element, "algorithm", path);
        BuiltinAlgorithm? algorithm = algorithmName switch
        {
            null => BuiltinOptions.DefaultAlgorithm(action),
            "personalized" => BuiltinAlgorithm.Personalized,
            "similar-items" => BuiltinAlgorithm.SimilarItems,
            "trending" => BuiltinAlgorithm.Trending,
            "rerank" => BuiltinAlgorithm.Rerank,
            _ => null,
        };
        if (algorithm is null)
        {
            reader.Error(DocumentReader.Child(path, "algorithm"), $"unknown algorithm '{algorithmName}' (expected personalized, similar-items, trending or rerank)");
            return null;
        }

        var category = reader.OptString(element, "category", path);
        var excludeInteracted = reader.OptBool(element, "excludeInteracted", path) ?? true;
        return new BuiltinOptions(algorithm.Value, category, excludeInteracted);
    }

    private static IReadOnlyList<FilterConfig> ParseFilters(JsonElement element, string path, DocumentReader reader)
    {
        if (element.ValueKind != JsonValueKind.Array)
        {
            reader.Error(path, "must be an array");
            return [];
        }

        var filters = new List<FilterConfig>();
        var index = 0;
        foreach (var item in element.EnumerateArray())
        {
            if (ParseFilter(item, DocumentReader.Index(path, index++), reader) is { } filter)
            {
                filters.Add(filter);
            }
        }

        return filters;
    }

    private static FilterConfig? ParseFilter(JsonElement element, string path, DocumentReader reader)
    {
        if (!reader.ExpectObject(element, path))
        {
            return null;
        }

        var hasArn = DocumentReader.TryGet(element, "arn", out _);
        var hasExpression = DocumentReader.TryGet(element, "expression", out _);
        if (!hasArn && !hasExpression)
        {
            reader.Error(path, "a filter needs an arn, or a name and an expression");
            return null;
        }

        var arn = hasArn ? ReadArn(element, path, "a Personalize filter ARN", Arns.PersonalizeFilter(), reader) : null;
        var expression = hasExpression ? reader.ReqString(element, "expression", path) : null;
        var name = reader.OptString(element, "name", path);
        if (name is null && !hasArn && hasExpression)
        {
            reader.Error(DocumentReader.Child(path, "name"), "is required for a filter without an arn");
        }

        var condition = reader.OptString(element, "condition", path);
        if (condition is not null && condition != "user-required")
        {
            reader.Error(DocumentReader.Child(path, "condition"), $"unknown condition '{condition}' (expected user-required)");
        }

        var dynamicValues = DocumentReader.TryGet(element, "autoDynamicFilterValues", out var valuesElement)
            ? ParseAutoContext(valuesElement, DocumentReader.Child(path, "autoDynamicFilterValues"), reader)
            : null;

        name ??= arn is null ? null : Arns.LastSegment(arn);
        return name is null ? null : new FilterConfig(name, arn, expression, condition == "user-required", dynamicValues);
    }

    /// <summary>The singular `filter` object whose autoDynamicFilterValues the original's code reads.</summary>
    private static AutoContextConfig? ReadLegacyFilter(JsonElement element, string path, DocumentReader reader)
    {
        if (!DocumentReader.TryGet(element, "filter", out var filter))
        {
            return null;
        }

        var filterPath = DocumentReader.Child(path, "filter");
        return reader.ExpectObject(filter, filterPath) && DocumentReader.TryGet(filter, "autoDynamicFilterValues", out var values)
            ? ParseAutoContext(values, DocumentReader.Child(filterPath, "autoDynamicFilterValues"), reader)
            : null;
    }
}
