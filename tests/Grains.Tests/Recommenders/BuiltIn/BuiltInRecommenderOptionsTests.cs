using Personalization.Grains.Catalog;
using Personalization.Grains.Recommenders.BuiltIn;
using Xunit;

namespace Personalization.Grains.Tests.Recommenders.BuiltIn;

public class BuiltInRecommenderOptionsTests
{
    [Theory]
    [InlineData(0, 2, "NeighboursPerItem")]
    [InlineData(50, 0, "MinSupport")]
    public void Invalid_sizes_are_rejected_with_the_setting_named(int neighbours, int minSupport, string named)
    {
        var options = new BuiltInRecommenderOptions { NeighboursPerItem = neighbours, MinSupport = minSupport };

        Assert.Contains(named, Assert.Throws<ArgumentException>(options.Validate).Message);
    }

    [Fact]
    public void Event_weights_are_case_insensitive_and_must_not_repeat_a_type()
    {
        var options = new BuiltInRecommenderOptions { EventWeights = new Dictionary<string, double> { ["View"] = 1, ["view"] = 2 } };
        Assert.Contains("view", Assert.Throws<ArgumentException>(options.Validate).Message, StringComparison.OrdinalIgnoreCase);

        var custom = ToyStore.Options();
        custom.EventWeights = new Dictionary<string, double> { ["Purchase"] = 10 };
        var model = BuiltInRecommender.CreateEmpty(ItemCatalog.Empty, custom);
        model.Observe("u", "bought", "PURCHASE", ToyStore.T);
        model.Observe("u", "seen1", "view", ToyStore.T);
        model.Observe("v", "seen1", "view", ToyStore.T);
        Assert.Equal(new ScoredItem("bought", 10), model.Trending(1)[0]);
    }

    [Fact]
    public void Result_sizes_are_capped_by_the_known_items()
    {
        var model = ToyStore.Train(ToyStore.Base(), ToyStore.Options());

        Assert.Equal(5, model.Trending(int.MaxValue).Count);
        // u1 has seen A, B and C: only D and E remain.
        Assert.Equal(["D", "E"], model.Recommend("u1", 1_000_000).Select(r => r.ItemId).Order());
        Assert.Empty(model.Recommend("u1", 0));
    }
}
