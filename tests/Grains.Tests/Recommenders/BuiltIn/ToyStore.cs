using System.Collections.Frozen;
using Personalization.Grains.Catalog;
using Personalization.Grains.Recommenders.BuiltIn;
using Personalization.Grains.Recommenders.BuiltIn.Interactions;
using Personalization.TestSupport;

namespace Personalization.Grains.Tests.Recommenders.BuiltIn;

/// <summary>A store small enough to compute every score by hand (see each test for the arithmetic).
/// Histories: u1 A,B,C · u2 A,B · u3 A,B,D · u4 C,D — so users per item A=3, B=3, C=2, D=2 and co-counts
/// AB=3, AC=AD=BC=BD=CD=1.</summary>
internal static class ToyStore
{
    public const long T = 1_000_000;
    public const long Day = 86_400;

    public static readonly ItemCatalog Catalog = new(
    [
        Item("A", "books"), Item("B", "books"), Item("C", "music"), Item("D", "music"), Item("E", "music"),
    ]);

    public static List<Interaction> Base() =>
    [
        new("u1", "A", T - 10 * Day, "view"), new("u1", "B", T - 10 * Day + 1, "view"), new("u1", "C", T - 10 * Day + 2, "view"),
        new("u2", "A", T - 9 * Day, "view"), new("u2", "B", T - 9 * Day + 1, "view"),
        new("u3", "A", T - 8 * Day, "view"), new("u3", "B", T - 8 * Day + 1, "view"), new("u3", "D", T - 8 * Day + 2, "view"),
        new("u4", "C", T - 7 * Day, "view"), new("u4", "D", T - 7 * Day + 1, "view"),
    ];

    public static BuiltInRecommenderOptions Options(int minSupport = 1) => new()
    {
        MinSupport = minSupport,
        HistoryHalfLife = TimeSpan.FromDays(1),
        PopularityHalfLife = TimeSpan.FromDays(1),
        TrendingRefreshInterval = TimeSpan.Zero,
    };

    public static BuiltInRecommender Train(IEnumerable<Interaction> interactions, BuiltInRecommenderOptions options) =>
        BuiltInRecommender.Train(interactions, Catalog, options, new ManualTimeProvider());

    public static CatalogItem Item(string id, string genre, string? price = null) =>
        new(id, "{}"u8.ToArray(), new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase)
        {
            ["genre"] = [genre],
            ["price"] = [price ?? "10"],
        }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase));
}
