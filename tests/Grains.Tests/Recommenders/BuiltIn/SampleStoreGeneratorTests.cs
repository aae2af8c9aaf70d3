using Xunit;
using Personalization.Grains.Samples;

namespace Personalization.Grains.Tests.Recommenders.BuiltIn;

public class SampleStoreGeneratorTests
{
    private static readonly SampleStoreOptions Small = new() { ItemCount = 500, UserCount = 100, InteractionCount = 5_000, Days = 14 };

    [Fact]
    public void Same_seed_gives_the_same_store_and_another_seed_does_not()
    {
        var first = SampleStoreGenerator.Generate(Small);
        var again = SampleStoreGenerator.Generate(Small);
        var other = SampleStoreGenerator.Generate(Small with { Seed = 7 });

        Assert.Equal(first.Items, again.Items);
        Assert.Equal(first.Interactions, again.Interactions);
        Assert.NotEqual(first.Interactions.Take(50), other.Interactions.Take(50));
    }

    [Fact]
    public void Store_has_the_requested_shape_in_time_order_with_a_funnel()
    {
        var store = SampleStoreGenerator.Generate(Small);
        var start = Small.Start.ToUnixTimeSeconds();

        Assert.Equal(500, store.Items.Count);
        Assert.InRange(store.Interactions.Count, 5_000, 5_100);
        Assert.True(store.Interactions.Zip(store.Interactions.Skip(1)).All(p => p.First.Timestamp <= p.Second.Timestamp));
        Assert.All(store.Interactions, i => Assert.InRange(i.Timestamp, start, start + 15 * 86_400));
        var byType = store.Interactions.GroupBy(i => i.EventType).ToDictionary(g => g.Key, g => g.Count());
        Assert.True(byType["view"] > byType["click"] && byType["click"] > byType["purchase"]);
        var catalog = store.CreateCatalog();
        Assert.All(store.Interactions, i => Assert.NotNull(catalog.Find(i.ItemId)));
        Assert.NotEmpty(catalog.Find("i00000")!.GetField("category"));
    }
}
