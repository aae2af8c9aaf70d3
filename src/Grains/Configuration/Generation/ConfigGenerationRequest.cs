namespace Personalization.Grains.Configuration.Generation;

/// <summary>What to generate from: named dataset groups, or every dataset group of the account and region.</summary>
public sealed record ConfigGenerationRequest(IReadOnlyList<string>? DatasetGroupNames, bool AttachFilters = false)
{
    public bool AllDatasetGroups => DatasetGroupNames is null;

    /// <summary>Parses the CLI/deploy-parameter form: "all", or comma-separated dataset group names.</summary>
    public static ConfigGenerationRequest Parse(string datasetGroups, bool attachFilters = false)
    {
        var names = datasetGroups.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (names.Length == 0)
        {
            throw new ConfigGenerationException("name at least one dataset group, or 'all'.");
        }

        return names is ["all" or "ALL" or "All"]
            ? new ConfigGenerationRequest(null, attachFilters)
            : new ConfigGenerationRequest(names.Distinct(StringComparer.Ordinal).ToArray(), attachFilters);
    }
}
