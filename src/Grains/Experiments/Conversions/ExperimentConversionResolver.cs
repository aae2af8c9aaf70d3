using System.Text.Json;

namespace Personalization.Grains.Experiments;

/// <summary>
/// Reads <c>experimentConversions[]</c> {recommender, feature?, metric?, value?} of a <c>POST /events</c> body as
/// the original did: the recommender is looked up across all actions; <c>feature</c> and <c>metric</c> may be
/// omitted only when exactly one exists; <c>value</c> defaults to 1.0 (the original's 1.0000001 was an Evidently
/// workaround); the body's <c>userId</c> is required. Built from the namespace's config: recommender name → its
/// experiments per action.
/// </summary>
public sealed class ExperimentConversionResolver(IReadOnlyDictionary<string, IReadOnlyList<RecommenderExperiments>> recommenders)
{
    private const string Path = "experimentConversions";

    /// <summary>Reads the whole events body; a body without <c>experimentConversions</c> yields an empty, valid batch.</summary>
    public ExperimentConversionBatch Resolve(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object || !body.TryGetProperty(Path, out var conversions)
            || conversions.ValueKind == JsonValueKind.Null)
        {
            return ExperimentConversionBatch.Empty;
        }

        var errors = new List<string>();
        if (conversions.ValueKind != JsonValueKind.Array)
        {
            errors.Add($"{Path}: must be an array of {{recommender, feature?, metric?, value?}}, got {ExperimentDefinitionParser.Describe(conversions)}");
            return new ExperimentConversionBatch(null, [], errors);
        }

        string? userId = null;
        if (conversions.GetArrayLength() > 0)
        {
            userId = body.TryGetProperty("userId", out var user) && user.ValueKind == JsonValueKind.String ? user.GetString() : null;
            if (string.IsNullOrEmpty(userId))
            {
                errors.Add($"userId: required (a non-empty string) when {Path} is present");
            }
        }

        var resolved = new List<ExperimentConversion>(conversions.GetArrayLength());
        var index = 0;
        foreach (var entry in conversions.EnumerateArray())
        {
            if (ResolveOne(entry, $"{Path}[{index}]", errors) is { } conversion)
            {
                resolved.Add(conversion);
            }

            index++;
        }

        return errors.Count > 0 ? new ExperimentConversionBatch(userId, [], errors) : new ExperimentConversionBatch(userId, resolved, errors);
    }

    private ExperimentConversion? ResolveOne(JsonElement entry, string path, List<string> errors)
    {
        if (entry.ValueKind != JsonValueKind.Object)
        {
            errors.Add($"{path}: must be an object {{recommender, feature?, metric?, value?}}, got {ExperimentDefinitionParser.Describe(entry)}");
            return null;
        }

        var recommender = ReadString(entry, "recommender", path, errors, required: true);
        var feature = ReadString(entry, "feature", path, errors, required: false);
        var metric = ReadString(entry, "metric", path, errors, required: false);
        var value = ReadValue(entry, path, errors);
        if (recommender is null || value is null)
        {
            return null;
        }

        if (!recommenders.TryGetValue(recommender, out var byAction) || byAction.Count == 0)
        {
            errors.Add($"{path}.recommender: no recommender named '{recommender}' in this namespace");
            return null;
        }

        var candidates = byAction
            .SelectMany(r => r.Experiments.Select(experiment => (r.Action, Experiment: experiment)))
            .Where(c => feature is null || c.Experiment.Feature == feature)
            .ToList();
        if (candidates.Count != 1)
        {
            var known = string.Join(", ", byAction.SelectMany(r => r.Experiments.Select(e => $"'{e.Feature}' ({r.Action})")));
            errors.Add((feature, candidates.Count) switch
            {
                (_, 0) when known.Length == 0 => $"{path}.recommender: recommender '{recommender}' has no experiments",
                (null, _) => $"{path}.feature: required because recommender '{recommender}' has several experiments: {known}",
                (_, 0) => $"{path}.feature: recommender '{recommender}' has no experiment '{feature}'; experiments are {known}",
                _ => $"{path}.feature: '{feature}' is ambiguous: recommender '{recommender}' has it under several actions ({known})",
            });
            return null;
        }

        var (action, experiment) = candidates[0];
        var metrics = experiment.Metrics;
        string metricName;
        if (metric is null)
        {
            if (metrics.Count != 1)
            {
                errors.Add($"{path}.metric: required because experiment '{experiment.Feature}' has several metrics: {string.Join(", ", metrics.Select(m => m.Name))}");
                return null;
            }

            metricName = metrics[0].Name;
        }
        else if (metrics.Any(m => m.Name == metric))
        {
            metricName = metric;
        }
        else
        {
            errors.Add($"{path}.metric: experiment '{experiment.Feature}' has no metric '{metric}'; metrics are {string.Join(", ", metrics.Select(m => m.Name))}");
            return null;
        }

        return new ExperimentConversion(action, recommender, experiment, metricName, value.Value);
    }

    private static string? ReadString(JsonElement entry, string name, string path, List<string> errors, bool required)
    {
        if (!entry.TryGetProperty(name, out var element) || (!required && element.ValueKind == JsonValueKind.Null))
        {
            if (required)
            {
                errors.Add($"{path}.{name}: required, a non-empty string");
            }

            return null;
        }

        if (element.ValueKind != JsonValueKind.String || element.GetString()!.Length == 0)
        {
            errors.Add($"{path}.{name}: must be a non-empty string, got {ExperimentDefinitionParser.Describe(element)}");
            return null;
        }

        return element.GetString();
    }

    private static double? ReadValue(JsonElement entry, string path, List<string> errors)
    {
        if (!entry.TryGetProperty("value", out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return 1.0;
        }

        if (element.ValueKind != JsonValueKind.Number || !element.TryGetDouble(out var value) || !double.IsFinite(value))
        {
            errors.Add($"{path}.value: must be a finite number, got {ExperimentDefinitionParser.Describe(element)}");
            return null;
        }

        return value;
    }
}
