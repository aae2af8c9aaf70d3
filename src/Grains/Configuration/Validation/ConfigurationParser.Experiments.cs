using System.Globalization;
using System.Text.Json;

namespace Personalization.Grains.Configuration;

public static partial class ConfigurationParser
{
    private static Dictionary<string, ExperimentConfig> ParseExperiments(
        JsonElement element, string path, IReadOnlyList<string> variations, DocumentReader reader)
    {
        var experiments = new Dictionary<string, ExperimentConfig>(StringComparer.Ordinal);
        if (!reader.ExpectObject(element, path))
        {
            return experiments;
        }

        foreach (var (feature, experimentElement, experimentPath) in reader.Properties(element, path))
        {
            if (!FeaturePattern().IsMatch(feature))
            {
                reader.Error(experimentPath, "feature name must match ^[-a-zA-Z0-9._]+$");
            }

            if (ParseExperiment(feature, experimentElement, experimentPath, variations, reader) is { } experiment)
            {
                experiments[feature] = experiment;
            }
        }

        return experiments;
    }

    private static ExperimentConfig? ParseExperiment(
        string feature, JsonElement element, string path, IReadOnlyList<string> variations, DocumentReader reader)
    {
        if (!reader.ExpectObject(element, path))
        {
            return null;
        }

        var methodName = reader.ReqString(element, "method", path);
        ExperimentMethod? method = methodName switch
        {
            null => null,
            "evidently" => ExperimentMethod.Evidently,
            "builtin" => ExperimentMethod.Builtin,
            _ => null,
        };
        if (methodName is not null && method is null)
        {
            reader.Error(DocumentReader.Child(path, "method"), $"unknown experiment method '{methodName}' (expected evidently or builtin)");
        }

        var project = reader.OptString(element, "project", path);
        var salt = reader.OptString(element, "salt", path) ?? feature;
        var arms = ParseArms(element, path, variations, reader);
        var control = ReadVariationKey(element, "control", path, variations, reader) ?? variations.FirstOrDefault();
        var holdout = reader.OptNumber(element, "holdout", path, 0, 1) ?? 0;
        var layer = reader.OptString(element, "layer", path);
        var layerWeight = reader.OptNumber(element, "layerWeight", path, 0, double.PositiveInfinity) ?? 1;
        if (layerWeight <= 0 && DocumentReader.TryGet(element, "layerWeight", out _))
        {
            reader.Error(DocumentReader.Child(path, "layerWeight"), "must be greater than 0");
        }

        var overrides = ParseOverrides(element, path, variations, reader);
        var start = ReadInstant(element, "start", path, reader);
        var end = ReadInstant(element, "end", path, reader);
        if (start is { } s && end is { } e && e <= s)
        {
            reader.Error(DocumentReader.Child(path, "end"), "must be after start");
        }

        var metrics = ParseMetrics(element, path, reader);
        if (method is null || control is null)
        {
            return null;
        }

        return new ExperimentConfig(
            feature, method.Value, project, salt, arms, control, holdout, layer, layerWeight, overrides, start, end, metrics, element.Clone());
    }

    private static List<ExperimentArm> ParseArms(JsonElement element, string path, IReadOnlyList<string> variations, DocumentReader reader)
    {
        if (!DocumentReader.TryGet(element, "arms", out var armsElement))
        {
            return variations.Select(v => new ExperimentArm(v, 1)).ToList();
        }

        var armsPath = DocumentReader.Child(path, "arms");
        var arms = new List<ExperimentArm>();
        if (!reader.ExpectObject(armsElement, armsPath))
        {
            return arms;
        }

        foreach (var (key, armElement, armPath) in reader.Properties(armsElement, armsPath))
        {
            if (!variations.Contains(key))
            {
                reader.Error(armPath, $"names no variation of this recommender (variations: {string.Join(", ", variations)})");
                continue;
            }

            if (!reader.ExpectObject(armElement, armPath))
            {
                continue;
            }

            var weight = reader.OptNumber(armElement, "weight", armPath, 0, double.PositiveInfinity) ?? 1;
            arms.Add(new ExperimentArm(key, weight));
        }

        if (arms.Count == 0)
        {
            reader.Error(armsPath, "at least one arm is required");
        }
        else if (arms.All(a => a.Weight <= 0))
        {
            reader.Error(armsPath, "at least one arm needs a weight greater than 0");
        }

        return arms;
    }

    private static string? ReadVariationKey(JsonElement element, string name, string path, IReadOnlyList<string> variations, DocumentReader reader)
    {
        var key = reader.OptString(element, name, path);
        if (key is not null && !variations.Contains(key))
        {
            reader.Error(DocumentReader.Child(path, name), $"'{key}' names no variation of this recommender");
            return null;
        }

        return key;
    }

    private static Dictionary<string, string> ParseOverrides(JsonElement element, string path, IReadOnlyList<string> variations, DocumentReader reader)
    {
        var overrides = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!DocumentReader.TryGet(element, "overrides", out var overridesElement))
        {
            return overrides;
        }

        var overridesPath = DocumentReader.Child(path, "overrides");
        if (!reader.ExpectObject(overridesElement, overridesPath))
        {
            return overrides;
        }

        foreach (var (userId, _, _) in reader.Properties(overridesElement, overridesPath))
        {
            if (ReadVariationKey(overridesElement, userId, overridesPath, variations, reader) is { } key)
            {
                overrides[userId] = key;
            }
        }

        return overrides;
    }

    private static DateTimeOffset? ReadInstant(JsonElement element, string name, string path, DocumentReader reader)
    {
        var text = reader.OptString(element, name, path);
        if (text is null)
        {
            return null;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var instant))
        {
            return instant;
        }

        reader.Error(DocumentReader.Child(path, name), $"'{text}' is not an ISO-8601 instant");
        return null;
    }

    private static List<ExperimentMetricConfig> ParseMetrics(JsonElement element, string path, DocumentReader reader)
    {
        var metrics = new List<ExperimentMetricConfig>();
        if (!DocumentReader.TryGet(element, "metrics", out var metricsElement))
        {
            return metrics;
        }

        var metricsPath = DocumentReader.Child(path, "metrics");
        if (!reader.ExpectObject(metricsElement, metricsPath))
        {
            return metrics;
        }

        foreach (var (name, metricElement, metricPath) in reader.Properties(metricsElement, metricsPath))
        {
            if (!reader.ExpectObject(metricElement, metricPath))
            {
                continue;
            }

            metrics.Add(new ExperimentMetricConfig(
                name,
                reader.OptString(metricElement, "entityIdKey", metricPath),
                reader.OptString(metricElement, "valueKey", metricPath),
                reader.OptBool(metricElement, "trackExposures", metricPath) ?? true));
        }

        return metrics;
    }
}
