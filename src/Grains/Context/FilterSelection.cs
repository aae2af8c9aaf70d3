using Personalization.Grains.Configuration;

namespace Personalization.Grains.Context;

/// <summary>
/// Picks the filter for a request: the `filter` query parameter wins (a full ARN passes through; a short name
/// becomes an ARN in the variation's partition, region and account); otherwise the first configured filter
/// whose condition holds (`user-required` needs a user). Then works out its automatic dynamic values.
/// </summary>
public static class FilterSelection
{
    public static SelectedFilter? Choose(ResolvedVariation variation, string? queryFilter, bool hasUser)
    {
        if (!string.IsNullOrWhiteSpace(queryFilter))
        {
            return FromQuery(variation, queryFilter.Trim());
        }

        foreach (var filter in variation.Filters)
        {
            if (!filter.UserRequired || hasUser)
            {
                return new SelectedFilter(filter.Name, filter.Arn, filter, FromQuery: false);
            }
        }

        return null;
    }

    /// <summary>
    /// The automatic dynamic filter value rules for a chosen filter: its own `autoDynamicFilterValues`, else the
    /// variation's singular `filter.autoDynamicFilterValues` (the form the original's code reads).
    /// </summary>
    public static AutoContextConfig? DynamicValueRules(ResolvedVariation variation, SelectedFilter? filter) =>
        filter is null ? null : filter.Config?.AutoDynamicFilterValues ?? variation.LegacyFilterValues;

    private static SelectedFilter FromQuery(ResolvedVariation variation, string value)
    {
        if (value.StartsWith("arn:", StringComparison.Ordinal))
        {
            var configured = variation.Filters.FirstOrDefault(f => f.Arn == value);
            return new SelectedFilter(configured?.Name ?? Arns.LastSegment(value), value, configured, FromQuery: true);
        }

        var byName = variation.Filters.FirstOrDefault(f => f.Name == value);
        var arn = byName?.Arn ?? Arns.FilterArnFor(variation.Arn, value);
        return new SelectedFilter(value, arn, byName, FromQuery: true);
    }
}
