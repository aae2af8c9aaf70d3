using Microsoft.AspNetCore.Builder;
using Personalization.Silo.Hosting;
using Personalization.TestSupport;

namespace Personalization.Api.Tests.Hosting;

/// <summary>
/// A real silo on a free loopback port (real Kestrel and HTTP, for what crosses processes: AWS calls), configured from
/// a file in <paramref name="folder"/>. The TestCluster (silos on TestServer) covers the rest, multi-silo included.
/// </summary>
internal sealed class LoopbackSilo(WebApplication app, string address) : IAsyncDisposable
{
    public string Address { get; } = address;

    public HttpClient Client { get; } = new() { BaseAddress = new Uri("http://" + address) };

    /// <summary>The silo's services (its grain factory, to seed state a test does not drive through HTTP).</summary>
    public IServiceProvider Services => app.Services;

    /// <summary>Writes <paramref name="configJson"/> to folder/config.json (if given) and starts a silo on it.</summary>
    public static async Task<LoopbackSilo> StartAsync(string folder, string? configJson, IEnumerable<string>? args = null, string? address = null)
    {
        var configPath = Path.Combine(folder, "config.json");
        if (configJson is not null)
        {
            await File.WriteAllTextAsync(configPath, configJson);
        }

        address ??= $"127.0.0.1:{NodeEmulator.FreeLoopbackPort()}";
        // Free Orleans ports and an own cluster id: the defaults (11111/30000) would clash with a silo of another test
        // class running in parallel, or another engineer's run on the same machine.
        var app = await SiloApplication.BuildAsync(
        [
            $"--Config:Path={configPath}",
            $"--urls=http://{address}",
            "--Logging:LogLevel:Default=Warning",
            FormattableString.Invariant($"--Cluster:SiloPort={NodeEmulator.FreeLoopbackPort()}"),
            FormattableString.Invariant($"--Cluster:GatewayPort={NodeEmulator.FreeLoopbackPort()}"),
            "--Cluster:ClusterId=loopback-" + Guid.NewGuid().ToString("N")[..12],
            .. args ?? [],
        ]);
        await app.StartAsync();
        var silo = new LoopbackSilo(app, address);
        for (var attempt = 0; attempt < 400 && !(await silo.Client.GetAsync("/ready")).IsSuccessStatusCode; attempt++)
        {
            await Task.Delay(25);
        }

        return silo;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
