using Personalization.Grains.Catalog;

namespace Personalization.Grains.Recommenders.BuiltIn.Filters;

/// <summary>A filter bound to its values: decides whether an item may be returned. Immutable and thread-safe.</summary>
public sealed class ItemFilter
{
    private readonly bool _include;
    private readonly Func<CatalogItem?, bool>? _condition;

    internal ItemFilter(bool include, Func<CatalogItem?, bool>? condition)
    {
        _include = include;
        _condition = condition;
    }

    /// <summary>Items not in the catalog have no fields: an INCLUDE drops them, an EXCLUDE keeps them.</summary>
    public bool Allows(CatalogItem? item) => _condition is null || _condition(item) == _include;
}
