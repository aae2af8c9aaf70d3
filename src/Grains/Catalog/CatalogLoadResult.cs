namespace Personalization.Grains.Catalog;

/// <summary>The items that loaded and the lines that did not; the caller decides whether errors are fatal.</summary>
public sealed record CatalogLoadResult(ItemCatalog Catalog, IReadOnlyList<DataFileError> Errors);
