using Personalization.Grains.Configuration;

namespace Personalization.Grains.Context;

/// <summary>
/// The filter a request uses. Arn is null for builtin variations that name filters only. Config is the
/// configured filter when one matched (for its expression and dynamic values). FromQuery tells whether the
/// client chose it with the `filter` query parameter.
/// </summary>
public sealed record SelectedFilter(string Name, string? Arn, FilterConfig? Config, bool FromQuery);
