using Microsoft.Extensions.DependencyInjection;
using Personalization.Runtime.Tests.Grains;

namespace Personalization.Runtime.Tests;

public sealed class RegistrationTests
{
    [Fact]
    public async Task Missing_grain_classes_and_storages_get_clear_errors()
    {
        await using var silo = await Silos.StartAsync(new Probe());

        var orphan = Assert.Throws<InvalidOperationException>(() => silo.GrainFactory.GetGrain<IOrphanGrain>("x"));
        var storage = await Assert.ThrowsAsync<InvalidOperationException>(() => silo.GrainFactory.GetGrain<IMisconfiguredGrain>("x").PingAsync());

        Assert.Contains("No grain class implements Personalization.Runtime.Tests.Grains.IOrphanGrain", orphan.Message);
        Assert.Contains("grain storage 'nowhere'", storage.Message);
        Assert.Throws<ArgumentNullException>(() => silo.GrainFactory.GetGrain<ICounterGrain>(null!));
    }

    [Fact]
    public void Invalid_options_are_rejected_when_the_runtime_is_built()
    {
        var services = new ServiceCollection().AddGrainRuntime(o => o.CollectionAge = TimeSpan.Zero).BuildServiceProvider();

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => services.GetRequiredService<IGrainFactory>());

        Assert.Equal("CollectionAge", error.ParamName);
    }

    [Fact]
    public async Task The_host_registration_exposes_the_runtime_as_factory_and_hosted_service()
    {
        await using var services = new ServiceCollection()
            .AddSingleton(new Probe())
            .AddGrainRuntime()
            .AddMemoryGrainStorage()
            .BuildServiceProvider();
        var hosted = Assert.Single(services.GetServices<Microsoft.Extensions.Hosting.IHostedService>());
        await hosted.StartAsync(default);

        Assert.Same(services.GetRequiredService<GrainRuntime>(), hosted);
        Assert.Same(hosted, services.GetRequiredService<IGrainFactory>());
        Assert.Equal(1, await services.GetRequiredService<IGrainFactory>().GetGrain<ICounterGrain>("h").IncrementAsync());
        await hosted.StopAsync(default);
    }
}
