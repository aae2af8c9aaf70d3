using System.Text;
using Personalization.Grains.Configuration;
using Personalization.TestSupport;
using Xunit;

namespace Personalization.Grains.Tests.Configuration;

public class ConfigurationStoreTests
{
    private static readonly byte[] Good = Samples.Read("config_simple.json");
    private static readonly byte[] Bad = Encoding.UTF8.GetBytes(Samples.WithVariations("{}"));

    [Fact]
    public void Valid_document_goes_live_and_raises_change()
    {
        var store = new ConfigurationStore(new ManualTimeProvider());
        var token = store.GetChangeToken();
        ConfigurationSnapshot? changed = null;
        store.Changed += s => changed = s;

        var result = store.TryApply(Good, "test");

        Assert.Equal(ConfigurationApplyStatus.Applied, result.Status);
        Assert.Same(result.Snapshot, store.Current);
        Assert.Same(store.Current, changed);
        Assert.True(token.HasChanged);
        Assert.False(store.GetChangeToken().HasChanged);
        Assert.True(store.IsReady);
        Assert.Equal("test", store.LastActivation!.Origin);
        Assert.NotEmpty(store.LastActivation.Warnings);
    }

    [Fact]
    public void Invalid_document_is_rejected_and_the_last_good_one_stays_live()
    {
        var time = new ManualTimeProvider();
        var store = new ConfigurationStore(time);
        store.TryApply(Good, "first");
        var live = store.Current;
        time.Advance(TimeSpan.FromMinutes(1));

        var result = store.TryApply(Bad, "second");

        Assert.Equal(ConfigurationApplyStatus.Rejected, result.Status);
        Assert.Same(live, store.Current);
        var rejection = store.LastRejection!;
        Assert.Equal("second", rejection.Origin);
        Assert.Equal(time.GetUtcNow(), rejection.At);
        Assert.Equal(
            "namespaces.my-store.recommenders.recommend-items.top-picks.variations: at least one variation is required",
            Assert.Single(rejection.Errors).ToString());
    }

    [Fact]
    public void Invalid_first_document_leaves_the_store_not_ready()
    {
        var store = new ConfigurationStore(new ManualTimeProvider());

        store.TryApply(Bad, "boot");

        Assert.False(store.IsReady);
        Assert.Null(store.Current);
        Assert.NotNull(store.LastRejection);
    }

    [Fact]
    public void Identical_bytes_are_unchanged_and_raise_nothing()
    {
        var store = new ConfigurationStore(new ManualTimeProvider());
        store.TryApply(Good, "a");
        var raised = 0;
        store.Changed += _ => raised++;

        var result = store.TryApply(Good.ToArray(), "b");

        Assert.Equal(ConfigurationApplyStatus.Unchanged, result.Status);
        Assert.Equal(0, raised);
        Assert.Equal("a", store.LastActivation!.Origin);
    }
}
