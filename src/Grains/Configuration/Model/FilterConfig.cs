using Personalization.Grains.Context;

namespace Personalization.Grains.Configuration;

/// <summary>
/// A configured filter. Name is `name`, else the last segment of the ARN (`filter/NAME`). Expression is the
/// builtin recommender's filter expression (only checked to be non-empty here). UserRequired is
/// `condition: "user-required"`.
/// </summary>
public sealed record FilterConfig(
    string Name,
    string? Arn,
    string? Expression,
    bool UserRequired,
    AutoContextConfig? AutoDynamicFilterValues);
