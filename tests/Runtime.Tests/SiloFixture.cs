using Microsoft.Extensions.DependencyInjection;
using Personalization.Runtime.Testing;
using Personalization.Runtime.Tests.Grains;
using Personalization.TestSupport;

namespace Personalization.Runtime.Tests;

internal static class Silos
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    public static Task<InProcessSilo> StartAsync(Probe probe, ManualTimeProvider? clock = null, Action<GrainRuntimeOptions>? runtime = null, Personalization.Runtime.Storage.Memory.MemoryGrainStore? store = null) =>
        InProcessSilo.StartAsync(new InProcessSiloOptions
        {
            TimeProvider = clock ?? new ManualTimeProvider(),
            Store = store ?? new Personalization.Runtime.Storage.Memory.MemoryGrainStore(),
            ConfigureRuntime = runtime,
            ConfigureServices = services => services.AddSingleton(probe),
        });

    /// <summary>Waits for something the runtime does on another thread; fails the test instead of hanging.</summary>
    public static Task Within(this Task task) => task.WaitAsync(Patience);

    public static Task<T> Within<T>(this Task<T> task) => task.WaitAsync(Patience);
}
