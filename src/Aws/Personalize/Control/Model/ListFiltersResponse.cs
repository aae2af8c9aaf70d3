using System.Text.Json.Serialization;

namespace Personalization.Aws.Personalize.Control;

/// <summary>One page of filters (the model spells the list member "Filters").</summary>
public sealed class ListFiltersResponse
{
    [JsonPropertyName("Filters")]
    public List<FilterSummary> Filters { get; set; } = [];

    public string? NextToken { get; set; }
}
