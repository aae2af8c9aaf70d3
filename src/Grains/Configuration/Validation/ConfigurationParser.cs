using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using Personalization.Grains.Context;

using Personalization.Grains.Experiments;

namespace Personalization.Grains.Configuration;

/// <summary>
/// Validates a whole personalization-apis document (plus the additive extensions) and resolves it into a
/// <see cref="ConfigurationSnapshot"/>. Every problem is collected with its path; unknown properties are
/// ignored so newer documents still load. Inheritance of autoContext, filters, cacheControl and
/// inferenceItemMetadata is root → namespace → recommender → variation, each level replacing the whole object.
/// </summary>
public static partial class ConfigurationParser
{
    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
        MaxDepth = 64,
    };

    [GeneratedRegex("^[a-zA-Z0-9_-]+$")]
    private static partial Regex KeyPattern();

    [GeneratedRegex("^[-a-zA-Z0-9._]+$")]
    private static partial Regex FeaturePattern();

    public static ConfigurationParseResult Parse(ReadOnlyMemory<byte> json)
    {
        var reader = new DocumentReader();
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(WithoutByteOrderMark(json), DocumentOptions);
        }
        catch (JsonException e)
        {
            reader.Error("", $"not valid JSON: {e.Message}");
            return new ConfigurationParseResult(null, reader.Errors, reader.Warnings);
        }

        using (document)
        {
            var snapshot = ParseRoot(document.RootElement, json, reader);
            return new ConfigurationParseResult(reader.Errors.Count == 0 ? snapshot : null, reader.Errors, reader.Warnings);
        }
    }

    private static ConfigurationSnapshot? ParseRoot(JsonElement root, ReadOnlyMemory<byte> json, DocumentReader reader)
    {
        if (!reader.ExpectObject(root, ""))
        {
            return null;
        }

        var version = ReadVersion(root, reader);
        var description = reader.OptString(root, "description", "");
        var inherited = ReadLevel(root, "", Inherited.Root, reader);

        var namespaces = new List<ResolvedNamespace>();
        if (!DocumentReader.TryGet(root, "namespaces", out var namespacesElement))
        {
            reader.Error("namespaces", "is required");
        }
        else if (reader.ExpectObject(namespacesElement, "namespaces"))
        {
            foreach (var (key, value, path) in reader.Properties(namespacesElement, "namespaces"))
            {
                if (ParseNamespace(key, value, path, inherited, reader) is { } ns)
                {
                    namespaces.Add(ns);
                }
            }
        }

        return new ConfigurationSnapshot(version, description, json.ToArray(), Hash(json.Span), namespaces);
    }

    /// <summary>The original schema says string; generators commonly write a number, which we accept as its text.</summary>
    private static string? ReadVersion(JsonElement root, DocumentReader reader)
    {
        if (!DocumentReader.TryGet(root, "version", out var version))
        {
            return null;
        }

        if (version.ValueKind == JsonValueKind.Number)
        {
            return version.GetRawText();
        }

        return reader.OptString(root, "version", "");
    }

    /// <summary>Editors on Windows save UTF-8 with a BOM, which the JSON reader refuses.</summary>
    private static ReadOnlyMemory<byte> WithoutByteOrderMark(ReadOnlyMemory<byte> json) =>
        json.Span.StartsWith("\uFEFF"u8) ? json[3..] : json;

    public static string Hash(ReadOnlySpan<byte> json) => Convert.ToHexStringLower(SHA256.HashData(json));

    private static ResolvedNamespace? ParseNamespace(string key, JsonElement element, string path, Inherited parent, DocumentReader reader)
    {
        if (!KeyPattern().IsMatch(key))
        {
            reader.Error(path, "namespace key must match ^[a-zA-Z0-9_-]+$");
        }

        if (!reader.ExpectObject(element, path))
        {
            return null;
        }

        var name = reader.OptString(element, "name", path);
        var description = reader.OptString(element, "description", path);
        var inherited = ReadLevel(element, path, parent, reader);
        var namespaceMode = ReadMode(element, path, reader);

        var hasRecommenders = DocumentReader.TryGet(element, "recommenders", out var recommendersElement);
        var hasEventTargets = DocumentReader.TryGet(element, "eventTargets", out var eventTargetsElement);
        if (!hasRecommenders && !hasEventTargets)
        {
            reader.Error(path, "a namespace needs recommenders or eventTargets");
        }

        var recommenders = hasRecommenders ? ParseRecommenders(key, recommendersElement, DocumentReader.Child(path, "recommenders"), inherited, reader) : [];
        ValidateExperimentLayers(DocumentReader.Child(path, "recommenders"), recommenders, reader);
        var eventTargets = hasEventTargets ? ParseEventTargets(eventTargetsElement, DocumentReader.Child(path, "eventTargets"), namespaceMode, reader) : [];
        var builtin = DocumentReader.TryGet(element, "builtinRecommender", out var builtinElement)
            ? ParseBuiltinRecommender(builtinElement, DocumentReader.Child(path, "builtinRecommender"), reader)
            : null;

        return new ResolvedNamespace(
            key,
            name,
            description,
            inherited.CacheControl,
            inherited.AutoContext,
            inherited.ItemMetadata,
            eventTargets,
            recommenders,
            builtin);
    }

    private static List<ResolvedRecommender> ParseRecommenders(string ns, JsonElement element, string path, Inherited parent, DocumentReader reader)
    {
        var recommenders = new List<ResolvedRecommender>();
        if (!reader.ExpectObject(element, path))
        {
            return recommenders;
        }

        foreach (var (actionKey, actionElement, actionPath) in reader.Properties(element, path))
        {
            if (!RecommenderActions.TryParse(actionKey, out var action))
            {
                reader.Error(actionPath, $"unknown action '{actionKey}' (expected recommend-items, related-items or rerank-items)");
                continue;
            }

            if (!reader.ExpectObject(actionElement, actionPath))
            {
                continue;
            }

            foreach (var (name, recommenderElement, recommenderPath) in reader.Properties(actionElement, actionPath))
            {
                if (ParseRecommender(ns, action.Value, name, recommenderElement, recommenderPath, parent, reader) is { } recommender)
                {
                    recommenders.Add(recommender);
                }
            }
        }

        return recommenders;
    }

    private static ResolvedRecommender? ParseRecommender(
        string ns, RecommenderAction action, string name, JsonElement element, string path, Inherited parent, DocumentReader reader)
    {
        if (!KeyPattern().IsMatch(name))
        {
            reader.Error(path, "recommender key must match ^[a-zA-Z0-9_-]+$");
        }

        if (!reader.ExpectObject(element, path))
        {
            return null;
        }

        var displayName = reader.OptString(element, "name", path);
        var description = reader.OptString(element, "description", path);
        var inherited = ReadLevel(element, path, parent, reader);
        var postProcessor = DocumentReader.TryGet(element, "responsePostProcessor", out var postElement)
            ? ParsePostProcessor(postElement, DocumentReader.Child(path, "responsePostProcessor"), reader)
            : null;

        var variations = new List<ResolvedVariation>();
        var variationsPath = DocumentReader.Child(path, "variations");
        if (!DocumentReader.TryGet(element, "variations", out var variationsElement))
        {
            reader.Error(variationsPath, "at least one variation is required");
        }
        else if (reader.ExpectObject(variationsElement, variationsPath))
        {
            foreach (var (key, variationElement, variationPath) in reader.Properties(variationsElement, variationsPath))
            {
                if (ParseVariation(action, key, variationElement, variationPath, inherited, reader) is { } variation)
                {
                    variations.Add(variation);
                }
            }

            if (variationsElement.EnumerateObject().Any() is false)
            {
                reader.Error(variationsPath, "at least one variation is required");
            }
        }

        var variationKeys = variations.Select(v => v.Key).ToList();
        var experiments = DocumentReader.TryGet(element, "experiments", out var experimentsElement)
            ? ParseExperiments(experimentsElement, DocumentReader.Child(path, "experiments"), variationKeys, reader)
            : new Dictionary<string, ExperimentDefinition>();

        return variations.Count == 0
            ? null
            : new ResolvedRecommender(ns, action, name, displayName, description, variations, experiments, postProcessor) { Document = WithInherited(element, inherited.Documents) };
    }

    private static ResponsePostProcessorConfig? ParsePostProcessor(JsonElement element, string path, DocumentReader reader)
    {
        if (!reader.ExpectObject(element, path))
        {
            return null;
        }

        var type = reader.ReqString(element, "type", path);
        if (type is not null && type is not ("lambda" or "function"))
        {
            reader.Error(DocumentReader.Child(path, "type"), $"unknown post-processor type '{type}' (expected lambda)");
        }

        var (arn, qualifier) = ReadFunction(element, path, reader);
        var multiplier = reader.OptNumber(element, "lookAheadMultiplier", path, 1, double.PositiveInfinity);
        var maximum = reader.OptNumber(element, "lookAheadMaximumValue", path, 1, double.PositiveInfinity);
        var onError = reader.OptString(element, "onError", path);
        if (onError is not (null or "serve-unprocessed" or "fail"))
        {
            reader.Error(DocumentReader.Child(path, "onError"), $"unknown value '{onError}' (expected serve-unprocessed or fail)");
        }

        return type is null || arn is null ? null : new ResponsePostProcessorConfig("lambda", arn, multiplier, maximum, qualifier, onError == "fail");
    }

    /// <summary>Reads a required `arn`; placeholders from the shipped samples are accepted with a warning.</summary>
    private static string? ReadArn(JsonElement element, string path, string expected, Regex shape, DocumentReader reader)
    {
        var arn = reader.ReqString(element, "arn", path);
        if (arn is null)
        {
            return null;
        }

        var arnPath = DocumentReader.Child(path, "arn");
        if (Arns.IsPlaceholder(arn))
        {
            reader.Warn(arnPath, "placeholder ARN; calls through it fail until it is replaced");
        }
        else if (!shape.IsMatch(arn))
        {
            reader.Error(arnPath, $"'{arn}' is not {expected}");
            return null;
        }

        return arn;
    }

    private static Inherited ReadLevel(JsonElement element, string path, Inherited parent, DocumentReader reader)
    {
        var cache = DocumentReader.TryGet(element, "cacheControl", out var cacheElement)
            ? ParseCacheControl(cacheElement, DocumentReader.Child(path, "cacheControl"), reader) ?? parent.CacheControl
            : parent.CacheControl;
        var autoContext = DocumentReader.TryGet(element, "autoContext", out var contextElement)
            ? ParseAutoContext(contextElement, DocumentReader.Child(path, "autoContext"), reader) ?? parent.AutoContext
            : parent.AutoContext;
        var filters = DocumentReader.TryGet(element, "filters", out var filtersElement)
            ? ParseFilters(filtersElement, DocumentReader.Child(path, "filters"), reader)
            : parent.Filters;
        var metadata = DocumentReader.TryGet(element, "inferenceItemMetadata", out var metadataElement)
            ? ParseItemMetadata(metadataElement, DocumentReader.Child(path, "inferenceItemMetadata"), reader) ?? parent.ItemMetadata
            : parent.ItemMetadata;
        var trending = reader.OptBool(element, "fallbackToTrending", path) ?? parent.FallbackToTrending;
        return new Inherited(cache, autoContext, filters, metadata, trending) { Documents = InheritedDocuments(element, parent.Documents) };
    }

    private sealed record Inherited(
        CacheControlConfig CacheControl,
        AutoContextConfig AutoContext,
        IReadOnlyList<FilterConfig> Filters,
        ItemMetadataConfig? ItemMetadata,
        bool FallbackToTrending)
    {
        public static readonly Inherited Root = new(CacheControlConfig.Default, AutoContextConfig.Empty, [], null, true);

        /// <summary>The inherited objects' JSON at this level, by key, for the payloads of custom recommenders.</summary>
        public IReadOnlyDictionary<string, string> Documents { get; init; } = NoDocuments;
    }
}
