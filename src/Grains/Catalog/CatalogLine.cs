namespace Personalization.Grains.Catalog;

/// <summary>One non-blank line of a catalog file: the item it holds, or why it holds none.</summary>
public readonly record struct CatalogLine(long LineNumber, CatalogItem? Item, DataFileError? Error);
