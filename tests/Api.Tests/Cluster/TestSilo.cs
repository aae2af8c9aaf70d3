using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Personalization.Grains.Configuration;
using Personalization.Grains.Hosting;
using Personalization.TestSupport;

namespace Personalization.Api.Tests.Cluster;

/// <summary>
/// One silo of a <see cref="TestCluster"/>: a whole WebApplication (Orleans silo and HTTP API) on a TestServer, with
/// its own loopback silo and gateway ports. Restartable; each start takes fresh ports, as a restarted pod would get a
/// new address, so a restart never waits for the old ports to be released.
/// </summary>
public sealed class TestSilo : IAsyncDisposable
{
    private readonly Func<TestSilo, CancellationToken, Task<WebApplication>> _build;
    private WebApplication? _app;
    private HttpClient? _client;

    internal TestSilo(int index, Func<TestSilo, CancellationToken, Task<WebApplication>> build)
    {
        Index = index;
        _build = build;
    }

    public int Index { get; }

    public bool IsRunning => _app is not null;

    public int SiloPort { get; private set; }

    public int GatewayPort { get; private set; }

    public IServiceProvider Services => App.Services;

    /// <summary>A client of this silo's API (base address http://localhost/). Replaced by a restart.</summary>
    public HttpClient Client => _client ?? throw new InvalidOperationException($"silo {Index} is stopped");

    public IGrainFactory GrainFactory => Services.GetRequiredService<IGrainFactory>();

    /// <summary>This silo's identity in cluster membership (address, port and generation).</summary>
    public SiloAddress SiloAddress => Services.GetRequiredService<ILocalSiloDetails>().SiloAddress;

    /// <summary>The silo's status as its own membership view has it.</summary>
    public SiloStatus StatusOf(SiloAddress silo) => Services.GetRequiredService<IClusterMembershipService>().CurrentSnapshot.GetSiloStatus(silo);

    public IHostApplicationLifetime Lifetime => Services.GetRequiredService<IHostApplicationLifetime>();

    public ConfigurationStore Configuration => Services.GetRequiredService<ConfigurationStore>();

    public NamespaceDataService Data => Services.GetRequiredService<NamespaceDataService>();

    public FileConfigurationSource ConfigurationSource => Services.GetRequiredService<FileConfigurationSource>();

    private WebApplication App => _app ?? throw new InvalidOperationException($"silo {Index} is stopped");

    internal async Task StartAsync(CancellationToken cancellationToken)
    {
        if (_app is not null)
        {
            throw new InvalidOperationException($"silo {Index} is already running");
        }

        SiloPort = NodeEmulator.FreeLoopbackPort();
        GatewayPort = NodeEmulator.FreeLoopbackPort();
        var app = await _build(this, cancellationToken);
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        _app = app;
        _client = app.GetTestServer().CreateClient();
        _client.Timeout = TestCluster.Patience;
    }

    /// <summary>Graceful stop: the silo leaves membership as Dead and its grains deactivate, flushing their state.</summary>
    internal Task StopAsync() => ShutDownAsync(CancellationToken.None);

    /// <summary>
    /// An abrupt stop (a crashed process): the host is stopped with an already-cancelled token, so Orleans skips the
    /// graceful steps; the other silos learn of it only by failed probes.
    /// </summary>
    internal Task KillAsync() => ShutDownAsync(new CancellationToken(canceled: true));

    private async Task ShutDownAsync(CancellationToken cancellationToken)
    {
        if (_app is not { } app)
        {
            return;
        }

        _client?.Dispose();
        _client = null;
        _app = null;
        try
        {
            await app.StopAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The kill's own cancellation: what did not stop is torn down by disposal.
        }

        await app.DisposeAsync();
    }

    public ValueTask DisposeAsync() => new(StopAsync());
}
