using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Personalization.Benchmarks.Runtime;

/// <summary>
/// A real Orleans silo hosted in the benchmark process (localhost clustering, memory grain storage). Benchmarks call
/// grains from inside the silo process through <see cref="GrainFactory"/>, as the HTTP API does in src/Silo: no gateway,
/// no network hop. Silo and gateway ports are free ports picked at start, so a benchmark never clashes with a silo
/// already running on 11111/30000 (bench/run.sh, a developer's `dotnet run`).
/// </summary>
public sealed class BenchSilo : IAsyncDisposable
{
    private readonly IHost _host;

    private BenchSilo(IHost host)
    {
        _host = host;
        GrainFactory = host.Services.GetRequiredService<IGrainFactory>();
    }

    public IGrainFactory GrainFactory { get; }

    public IServiceProvider Services => _host.Services;

    public static async Task<BenchSilo> StartAsync(Action<IServiceCollection>? configureServices = null, Action<ISiloBuilder>? configureSilo = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders().SetMinimumLevel(LogLevel.Warning);
        configureServices?.Invoke(builder.Services);
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(siloPort: FreePort(), gatewayPort: FreePort(), serviceId: "bench", clusterId: "bench-" + Environment.ProcessId)
                .AddMemoryGrainStorageAsDefault();
            configureSilo?.Invoke(silo);
        });
        var host = builder.Build();
        await host.StartAsync().ConfigureAwait(false);
        return new BenchSilo(host);
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _host.StopAsync(timeout.Token).ConfigureAwait(false);
        _host.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
