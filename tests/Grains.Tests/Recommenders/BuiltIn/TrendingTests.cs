using Xunit;
using Personalization.Grains.Recommenders.BuiltIn.Interactions;

namespace Personalization.Grains.Tests.Recommenders.BuiltIn;

public class TrendingTests
{
    private const long T = ToyStore.T;
    private const long Day = ToyStore.Day;

    private static readonly Interaction[] Events =
    [
        // A: a purchase (4) two half-lives ago → 1. B: two views now → 2. C: a click (2) one half-life ago → 1... plus
        // a view now → 2. D: one view now → 1. E: a purchase 3 half-lives ago → 0.5.
        new("u1", "A", T - 2 * Day, "purchase"),
        new("u2", "B", T, "view"), new("u3", "B", T, "view"),
        new("u4", "C", T - Day, "click"), new("u5", "C", T - Day / 2, "VIEW"),
        new("u6", "D", T, "view"),
        new("u7", "E", T - 3 * Day, "purchase"),
    ];

    [Fact]
    public void Popularity_decays_with_the_half_life_and_weighs_event_types()
    {
        var model = ToyStore.Train(Events, ToyStore.Options());

        var trending = model.Trending(5);

        // C = 2·½ + 1·2^(-½) ≈ 1.707.
        Assert.Equal(["B", "C", "A", "D", "E"], trending.Select(t => t.ItemId));
        Assert.Equal(2, trending[0].Score, 1e-9);
        Assert.Equal(1 + Math.Pow(2, -0.5), trending[1].Score, 1e-9);
        Assert.Equal(0.5, trending[4].Score, 1e-9);
    }

    [Fact]
    public void Per_category_with_an_explicit_value_or_the_users_dominant_one()
    {
        var model = ToyStore.Train(Events, ToyStore.Options());

        Assert.Equal(["C", "D", "E"], model.Trending(5, "genre", "music").Select(t => t.ItemId));
        // u1 only bought a book (A), so their category is books, and A itself is excluded.
        Assert.Equal(["B"], model.Trending(5, "genre", userId: "u1").Select(t => t.ItemId));
    }

    [Fact]
    public void Online_events_reorder_trending()
    {
        var model = ToyStore.Train(Events, ToyStore.Options());

        model.Observe("u9", "E", "purchase", T);
        model.Observe("u9", "E", "purchase", T);

        Assert.Equal("E", model.Trending(1)[0].ItemId);
    }
}
