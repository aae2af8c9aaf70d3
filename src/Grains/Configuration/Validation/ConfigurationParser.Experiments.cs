using System.Text.Json;
using Personalization.Grains.Experiments;

namespace Personalization.Grains.Configuration;

public static partial class ConfigurationParser
{
    /// <summary>`experiments` of a recommender, parsed by the experiments engine's own parser so there is one definition of validity.</summary>
    private static Dictionary<string, ExperimentDefinition> ParseExperiments(
        JsonElement element, string path, IReadOnlyList<string> variations, DocumentReader reader)
    {
        var experiments = new Dictionary<string, ExperimentDefinition>(StringComparer.Ordinal);
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

            var definition = ExperimentDefinition.FromJson(experimentElement, feature, variations, out var errors, experimentPath);
            foreach (var error in errors)
            {
                AddPathError(error, experimentPath, reader);
            }

            if (definition is not null)
            {
                experiments[feature] = definition;
            }
        }

        return experiments;
    }

    /// <summary>Experiments sharing a layer must be consistent across the namespace (distinct salts, and so on).</summary>
    private static void ValidateExperimentLayers(string path, IEnumerable<ResolvedRecommender> recommenders, DocumentReader reader)
    {
        foreach (var error in ExperimentAssigner.Validate(recommenders.SelectMany(r => r.Experiments.Values)))
        {
            AddPathError(error, path, reader);
        }
    }

    /// <summary>The experiments engine reports "path: message"; keep the path as the path.</summary>
    private static void AddPathError(string error, string fallbackPath, DocumentReader reader)
    {
        var separator = error.IndexOf(": ", StringComparison.Ordinal);
        if (separator > 0 && !error[..separator].Contains(' ', StringComparison.Ordinal))
        {
            reader.Error(error[..separator], error[(separator + 2)..]);
        }
        else
        {
            reader.Error(fallbackPath, error);
        }
    }
}
