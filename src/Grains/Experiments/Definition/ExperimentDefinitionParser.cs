using System.Globalization;
using System.Text.Json;

namespace Personalization.Grains.Experiments;

/// <summary>Reads the experiment JSON of config-shape.md, collecting every error with its path instead of stopping at the first.</summary>
internal sealed class ExperimentDefinitionParser(string feature, IReadOnlyList<string> variationKeys, string path)
{
    // Evidently configs are accepted as they were written, so unknown keys there are ignored; builtin is new and strict.
    private static readonly HashSet<string> BuiltinKeys = new(StringComparer.Ordinal)
    {
        "method", "project", "metrics", "salt", "arms", "control", "holdout", "layer", "layerWeight", "overrides", "start", "end",
    };

    private readonly List<string> _errors = [];

    public IReadOnlyList<string> Errors => _errors;

    public ExperimentDefinition? Parse(JsonElement experiment)
    {
        if (string.IsNullOrEmpty(feature))
        {
            _errors.Add($"{path}: the feature name must not be empty");
        }

        if (variationKeys.Count == 0)
        {
            _errors.Add($"{path}: the recommender has no variations to experiment with");
            return null;
        }

        if (experiment.ValueKind != JsonValueKind.Object)
        {
            _errors.Add($"{path}: must be an object, got {Describe(experiment)}");
            return null;
        }

        var method = ReadMethod(experiment);
        if (method == ExperimentMethod.Builtin)
        {
            foreach (var property in experiment.EnumerateObject())
            {
                if (!BuiltinKeys.Contains(property.Name))
                {
                    _errors.Add($"{path}.{property.Name}: unknown key; expected one of {string.Join(", ", BuiltinKeys)}");
                }
            }
        }

        var project = ReadOptionalString(experiment, "project");
        var metrics = ReadMetrics(experiment);
        var salt = ReadOptionalString(experiment, "salt", allowEmpty: false) ?? feature;
        var arms = ReadArms(experiment);
        var control = ReadControl(experiment, arms);
        var holdout = ReadFraction(experiment, "holdout");
        var layer = ReadOptionalString(experiment, "layer", allowEmpty: false);
        var layerWeight = ReadLayerWeight(experiment, layer);
        var overrides = ReadOverrides(experiment);
        var start = ReadInstant(experiment, "start");
        var end = ReadInstant(experiment, "end");
        if (start is { } s && end is { } e && e <= s)
        {
            _errors.Add($"{path}.end: must be after start ({s:O}), got {e:O}");
        }

        if (_errors.Count > 0 || method is null || arms is null || control is null)
        {
            if (_errors.Count == 0)
            {
                _errors.Add($"{path}: invalid experiment");
            }

            return null;
        }

        return new ExperimentDefinition
        {
            Feature = feature,
            Method = method.Value,
            Salt = salt,
            Arms = arms,
            Control = control,
            DefaultVariation = variationKeys[0],
            Holdout = holdout ?? 0,
            Layer = layer,
            LayerWeight = layerWeight,
            Overrides = overrides,
            Start = start,
            End = end,
            Metrics = metrics,
            Project = project,
        };
    }

    private ExperimentMethod? ReadMethod(JsonElement experiment)
    {
        if (!experiment.TryGetProperty("method", out var method))
        {
            _errors.Add($"{path}.method: required; \"evidently\" or \"builtin\"");
            return null;
        }

        switch (method.ValueKind == JsonValueKind.String ? method.GetString() : null)
        {
            case "evidently":
                return ExperimentMethod.Evidently;
            case "builtin":
                return ExperimentMethod.Builtin;
            default:
                _errors.Add($"{path}.method: must be \"evidently\" or \"builtin\", got {Describe(method)}");
                return null;
        }
    }

    private IReadOnlyList<ExperimentMetric> ReadMetrics(JsonElement experiment)
    {
        if (!experiment.TryGetProperty("metrics", out var metrics))
        {
            return ExperimentDefinition.DefaultMetrics;
        }

        if (metrics.ValueKind != JsonValueKind.Object)
        {
            _errors.Add($"{path}.metrics: must be an object of metric name → settings, got {Describe(metrics)}");
            return ExperimentDefinition.DefaultMetrics;
        }

        var result = new List<ExperimentMetric>();
        foreach (var metric in metrics.EnumerateObject())
        {
            var metricPath = $"{path}.metrics.{metric.Name}";
            if (metric.Name.Length == 0)
            {
                _errors.Add($"{path}.metrics: a metric name must not be empty");
                continue;
            }

            if (metric.Value.ValueKind != JsonValueKind.Object)
            {
                _errors.Add($"{metricPath}: must be an object, got {Describe(metric.Value)}");
                continue;
            }

            var entityIdKey = ReadOptionalString(metric.Value, "entityIdKey", metricPath);
            var valueKey = ReadOptionalString(metric.Value, "valueKey", metricPath);
            var trackExposures = true;
            if (metric.Value.TryGetProperty("trackExposures", out var track))
            {
                if (track.ValueKind is JsonValueKind.True or JsonValueKind.False)
                {
                    trackExposures = track.GetBoolean();
                }
                else
                {
                    _errors.Add($"{metricPath}.trackExposures: must be true or false, got {Describe(track)}");
                }
            }

            result.Add(new ExperimentMetric(metric.Name, entityIdKey, valueKey, trackExposures));
        }

        return result.Count == 0 ? ExperimentDefinition.DefaultMetrics : result;
    }

    private IReadOnlyList<ExperimentArm>? ReadArms(JsonElement experiment)
    {
        if (!experiment.TryGetProperty("arms", out var arms))
        {
            return variationKeys.Select(key => new ExperimentArm(key, 1)).ToArray();
        }

        if (arms.ValueKind != JsonValueKind.Object)
        {
            _errors.Add($"{path}.arms: must be an object of variation key → {{\"weight\": number}}, got {Describe(arms)}");
            return null;
        }

        var result = new List<ExperimentArm>();
        var errorsBefore = _errors.Count;
        foreach (var arm in arms.EnumerateObject())
        {
            var armPath = $"{path}.arms.{arm.Name}";
            if (!variationKeys.Contains(arm.Name, StringComparer.Ordinal))
            {
                _errors.Add($"{armPath}: not a variation of this recommender; variations are {string.Join(", ", variationKeys)}");
                continue;
            }

            if (arm.Value.ValueKind != JsonValueKind.Object)
            {
                _errors.Add($"{armPath}: must be an object like {{\"weight\": 50}}, got {Describe(arm.Value)}");
                continue;
            }

            foreach (var key in arm.Value.EnumerateObject())
            {
                if (key.Name != "weight")
                {
                    _errors.Add($"{armPath}.{key.Name}: unknown key; an arm has only \"weight\"");
                }
            }

            if (!arm.Value.TryGetProperty("weight", out var weightElement))
            {
                _errors.Add($"{armPath}.weight: required, a number ≥ 0");
                continue;
            }

            if (weightElement.ValueKind != JsonValueKind.Number || !weightElement.TryGetDouble(out var weight)
                || !double.IsFinite(weight) || weight < 0)
            {
                _errors.Add($"{armPath}.weight: must be a finite number ≥ 0, got {Describe(weightElement)}");
                continue;
            }

            result.Add(new ExperimentArm(arm.Name, weight));
        }

        if (_errors.Count > errorsBefore)
        {
            return null;
        }

        if (!result.Any(arm => arm.Weight > 0))
        {
            _errors.Add($"{path}.arms: at least one arm needs a weight > 0");
            return null;
        }

        return result;
    }

    private string? ReadControl(JsonElement experiment, IReadOnlyList<ExperimentArm>? arms)
    {
        var explicitControl = ReadOptionalString(experiment, "control", allowEmpty: false);
        var control = explicitControl ?? variationKeys[0];
        if (explicitControl is not null && !variationKeys.Contains(explicitControl, StringComparer.Ordinal))
        {
            _errors.Add($"{path}.control: '{explicitControl}' is not a variation of this recommender; variations are {string.Join(", ", variationKeys)}");
            return null;
        }

        if (arms is not null && !arms.Any(arm => arm.VariationKey == control))
        {
            _errors.Add(explicitControl is null
                ? $"{path}.control: the default control '{control}' (the first variation) is not an arm; name one of the arms as control"
                : $"{path}.control: '{control}' must be one of the arms ({string.Join(", ", arms.Select(a => a.VariationKey))})");
            return null;
        }

        return control;
    }

    private double? ReadFraction(JsonElement experiment, string name)
    {
        if (!experiment.TryGetProperty(name, out var element))
        {
            return null;
        }

        if (element.ValueKind != JsonValueKind.Number || !element.TryGetDouble(out var value) || !(value >= 0 && value <= 1))
        {
            _errors.Add($"{path}.{name}: must be a number from 0 to 1 (a fraction of users), got {Describe(element)}");
            return null;
        }

        return value;
    }

    private double ReadLayerWeight(JsonElement experiment, string? layer)
    {
        if (!experiment.TryGetProperty("layerWeight", out var element))
        {
            return 1;
        }

        if (layer is null)
        {
            _errors.Add($"{path}.layerWeight: only meaningful with \"layer\"; set a layer name or remove it");
        }

        if (element.ValueKind != JsonValueKind.Number || !element.TryGetDouble(out var weight) || !double.IsFinite(weight) || weight <= 0)
        {
            _errors.Add($"{path}.layerWeight: must be a finite number > 0, got {Describe(element)}");
            return 1;
        }

        return weight;
    }

    private IReadOnlyDictionary<string, string> ReadOverrides(JsonElement experiment)
    {
        if (!experiment.TryGetProperty("overrides", out var overrides))
        {
            return ExperimentDefinition.EmptyOverrides;
        }

        if (overrides.ValueKind != JsonValueKind.Object)
        {
            _errors.Add($"{path}.overrides: must be an object of user id → variation key, got {Describe(overrides)}");
            return ExperimentDefinition.EmptyOverrides;
        }

        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in overrides.EnumerateObject())
        {
            var variation = entry.Value.ValueKind == JsonValueKind.String ? entry.Value.GetString() : null;
            if (entry.Name.Length == 0)
            {
                _errors.Add($"{path}.overrides: a user id must not be empty");
            }
            else if (variation is null || !variationKeys.Contains(variation, StringComparer.Ordinal))
            {
                _errors.Add($"{path}.overrides.{entry.Name}: must name a variation ({string.Join(", ", variationKeys)}), got {Describe(entry.Value)}");
            }
            else
            {
                result[entry.Name] = variation;
            }
        }

        return result;
    }

    private DateTimeOffset? ReadInstant(JsonElement experiment, string name)
    {
        var text = ReadOptionalString(experiment, name, allowEmpty: false);
        if (text is null)
        {
            return null;
        }

        // An instant needs a zone; a bare date or local time would start the experiment at a different moment per silo setting.
        var hasZone = text.EndsWith('Z') || text.EndsWith('z') || HasOffsetSuffix(text);
        if (!hasZone || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var instant))
        {
            _errors.Add($"{path}.{name}: must be an ISO-8601 instant with a zone, e.g. \"2026-01-31T00:00:00Z\", got \"{text}\"");
            return null;
        }

        return instant.ToUniversalTime();
    }

    private static bool HasOffsetSuffix(string text) =>
        text.Length > 6 && text[^3] == ':' && (text[^6] == '+' || text[^6] == '-') && text.IndexOf('T') > 0;

    private string? ReadOptionalString(JsonElement element, string name, bool allowEmpty = true) =>
        ReadOptionalString(element, name, path, allowEmpty);

    private string? ReadOptionalString(JsonElement element, string name, string parentPath, bool allowEmpty = true)
    {
        if (!element.TryGetProperty(name, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String || (!allowEmpty && value.GetString()!.Length == 0))
        {
            _errors.Add($"{parentPath}.{name}: must be a {(allowEmpty ? "" : "non-empty ")}string, got {Describe(value)}");
            return null;
        }

        return value.GetString();
    }

    internal static string Describe(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => $"\"{element.GetString()}\"",
        JsonValueKind.Number => element.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Null => "null",
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        _ => "nothing",
    };
}
