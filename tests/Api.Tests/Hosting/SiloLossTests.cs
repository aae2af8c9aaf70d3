using Orleans.Runtime;
using Personalization.Api.Cluster;
using Xunit;

namespace Personalization.Api.Tests.Hosting;

/// <summary>The API's one retry of an idempotent grain call whose silo left the cluster (what the rolling-restart drill needs).</summary>
public sealed class SiloLossTests
{
    [Fact]
    public async Task A_call_whose_silo_left_is_sent_once_more()
    {
        var calls = 0;
        var result = await SiloLoss.RetryOnceAsync(_ => ++calls == 1 ? throw new SiloUnavailableException("gone") : ValueTask.FromResult("served"), 0);
        Assert.Equal(("served", 2), (result, calls));
    }

    [Fact]
    public async Task A_second_loss_and_any_other_failure_are_not_retried()
    {
        var calls = 0;
        await Assert.ThrowsAsync<SiloUnavailableException>(async () => await SiloLoss.RetryOnceAsync<int, string>(_ => { calls++; throw new SiloUnavailableException("gone"); }, 0));
        Assert.Equal(2, calls);

        calls = 0;
        await Assert.ThrowsAsync<TimeoutException>(async () => await SiloLoss.RetryOnceAsync<int, string>(_ => { calls++; throw new TimeoutException(); }, 0));
        Assert.Equal(1, calls);
    }
}
