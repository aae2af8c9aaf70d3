using Personalization.Grains.Events;
using Personalization.TestSupport;
using Xunit;
using static Personalization.Grains.Tests.Events.EventFixtures;

namespace Personalization.Grains.Tests.Events;

public sealed class EventDispatcherTests
{
    [Fact]
    public async Task Keeps_one_queue_per_namespace_and_target_and_drains_them_all_on_stop()
    {
        var time = new ManualTimeProvider();
        var dispatcher = new EventDispatcher(time, Immediate() with { FlushDelay = TimeSpan.FromHours(1) });
        var a = new RecordingTarget("a");
        var b = new RecordingTarget("b");

        var shopA = dispatcher.GetOrAdd("shop", a);
        Assert.Same(shopA, dispatcher.GetOrAdd("shop", a));
        TargetQueue[] shop = [shopA, dispatcher.GetOrAdd("shop", b)];
        var other = dispatcher.GetOrAdd("other", a);
        Assert.NotSame(shopA, other);

        await EventFanOut.SendAsync(Submission("s", "u", 3), shop, DeliveryMode.Async);
        await EventFanOut.SendAsync(Submission("s", "u", 2, "o"), [other], DeliveryMode.Async);
        Assert.Empty(a.Calls);

        var reports = await dispatcher.StopAsync(TimeSpan.FromSeconds(5));

        Assert.Equal(3, reports.Count);
        Assert.All(reports, r => Assert.True(r.Drained));
        Assert.Equal(5, a.Delivered.Count);
        Assert.Equal(3, b.Delivered.Count);
    }
}
