namespace Personalization.Grains.Samples;

/// <summary>A generated product; <see cref="LaunchedAt"/> is epoch seconds (items launched mid-period create drift).</summary>
public sealed record SampleItem(
    string Id,
    string Name,
    string Category,
    string Subcategory,
    string Brand,
    decimal Price,
    string ImageUrl,
    string Description,
    long LaunchedAt);
