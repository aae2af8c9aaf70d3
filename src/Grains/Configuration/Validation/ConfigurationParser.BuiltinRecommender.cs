using System.Text.Json;

namespace Personalization.Grains.Configuration;

public static partial class ConfigurationParser
{
    private static BuiltinRecommenderConfig? ParseBuiltinRecommender(JsonElement element, string path, DocumentReader reader)
    {
        if (!reader.ExpectObject(element, path))
        {
            return null;
        }

        var weights = new Dictionary<string, double>(StringComparer.OrdinalIgnoreCase);
        if (DocumentReader.TryGet(element, "eventWeights", out var weightsElement))
        {
            var weightsPath = DocumentReader.Child(path, "eventWeights");
            if (reader.ExpectObject(weightsElement, weightsPath))
            {
                foreach (var property in weightsElement.EnumerateObject())
                {
                    if (property.Value.ValueKind != JsonValueKind.Number || !property.Value.TryGetDouble(out var weight) || weight < 0 || double.IsInfinity(weight))
                    {
                        reader.Error(DocumentReader.Child(weightsPath, property.Name), "must be a number ≥ 0");
                        continue;
                    }

                    weights[property.Name] = weight;
                }
            }
        }

        var interactions = reader.OptString(element, "interactions", path);
        ValidateDataPath(interactions, DocumentReader.Child(path, "interactions"), reader);
        return new BuiltinRecommenderConfig(
            interactions,
            reader.OptNumber(element, "popularityHalfLifeDays", path, 0.01, 3650),
            (int?)reader.OptInteger(element, "neighboursPerItem", path, 1, 1000),
            (int?)reader.OptInteger(element, "minSupport", path, 1, 1_000_000),
            (int?)reader.OptInteger(element, "historyLength", path, 1, 1000),
            reader.OptBool(element, "excludeInteracted", path),
            weights);
    }
}
