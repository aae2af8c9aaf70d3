using Orleans.Runtime;
using Personalization.Api.Cluster;
using Personalization.TestSupport;
using Xunit;

namespace Personalization.Api.Tests.Hosting;

/// <summary>The API's one retry of an idempotent grain call that met a silo leaving the cluster (what the rolling-restart drill needs).</summary>
public sealed class SiloLossTests
{
    [Fact]
    public async Task A_call_rejected_by_a_stopping_silo_is_sent_once_more_after_the_retry_delay()
    {
        var time = new ManualTimeProvider();
        var calls = 0;
        var pending = SiloLoss.RetryOnceAsync(_ => ++calls == 1 ? throw Rejection("Silo stopping") : ValueTask.FromResult("served"), 0, time).AsTask();

        Assert.False(pending.IsCompleted);
        time.Advance(SiloLoss.RetryDelay);
        Assert.Equal(("served", 2), (await pending, calls));
    }

    [Fact]
    public async Task A_call_whose_silo_was_declared_dead_is_sent_once_more()
    {
        var time = new ManualTimeProvider();
        var calls = 0;
        var pending = SiloLoss.RetryOnceAsync(_ => ++calls == 1 ? throw new SiloUnavailableException("gone") : ValueTask.FromResult("served"), 0, time).AsTask();
        time.Advance(SiloLoss.RetryDelay);
        Assert.Equal(("served", 2), (await pending, calls));
    }

    [Fact]
    public async Task A_second_loss_and_any_other_failure_are_not_retried()
    {
        var time = new ManualTimeProvider();
        var calls = 0;
        var twice = SiloLoss.RetryOnceAsync<int, string>(_ => { calls++; throw new SiloUnavailableException("gone"); }, 0, time).AsTask();
        time.Advance(SiloLoss.RetryDelay);
        await Assert.ThrowsAsync<SiloUnavailableException>(() => twice);
        Assert.Equal(2, calls);

        calls = 0;
        await Assert.ThrowsAsync<TimeoutException>(async () => await SiloLoss.RetryOnceAsync<int, string>(_ => { calls++; throw new TimeoutException(); }, 0, time));
        Assert.Equal(1, calls);
    }

    /// <summary>Orleans creates these itself (internal constructor); this is the one a stopping silo answers with.</summary>
    private static OrleansMessageRejectionException Rejection(string message) =>
        (OrleansMessageRejectionException)Activator.CreateInstance(
            typeof(OrleansMessageRejectionException), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance, null, [message], null)!;
}
