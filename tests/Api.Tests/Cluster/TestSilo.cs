using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Personalization.Grains.Configuration;
using Personalization.Grains.Hosting;
using Personalization.Runtime;

namespace Personalization.Api.Tests.Cluster;

/// <summary>One silo of a <see cref="TestCluster"/>: a whole WebApplication on a TestServer. Restartable.</summary>
public sealed class TestSilo : IAsyncDisposable
{
    private readonly Func<CancellationToken, Task<WebApplication>> _build;
    private WebApplication? _app;
    private HttpClient? _client;

    internal TestSilo(int index, Func<CancellationToken, Task<WebApplication>> build)
    {
        Index = index;
        _build = build;
    }

    public int Index { get; }

    public bool IsRunning => _app is not null;

    public IServiceProvider Services => App.Services;

    /// <summary>A client of this silo's API (base address http://localhost/). Replaced by a restart.</summary>
    public HttpClient Client => _client ?? throw new InvalidOperationException($"silo {Index} is stopped");

    public IGrainFactory GrainFactory => Services.GetRequiredService<IGrainFactory>();

    public GrainRuntime Runtime => Services.GetRequiredService<GrainRuntime>();

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

        var app = await _build(cancellationToken);
        await app.StartAsync(cancellationToken);
        _app = app;
        _client = app.GetTestServer().CreateClient();
        _client.Timeout = TestCluster.Patience;
    }

    /// <summary>Stops the host (the grain runtime deactivates every grain, flushing state) and disposes it.</summary>
    internal async Task StopAsync()
    {
        if (_app is not { } app)
        {
            return;
        }

        _client?.Dispose();
        _client = null;
        _app = null;
        await app.StopAsync();
        await app.DisposeAsync();
    }

    public ValueTask DisposeAsync() => new(StopAsync());
}
