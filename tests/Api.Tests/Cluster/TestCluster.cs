using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Personalization.Grains.Configuration;
using Personalization.Grains.Recommenders;
using Personalization.Runtime;
using Personalization.Runtime.Storage;
using Personalization.Runtime.Storage.Memory;
using Personalization.Silo.Hosting;
using Personalization.TestSupport;

namespace Personalization.Api.Tests.Cluster;

/// <summary>
/// N silos in this process, each the real <see cref="SiloApplication"/> on a TestServer, sharing one manual clock,
/// one memory grain store (state survives restarts) and one temp folder holding the config file (hot-reloaded) and
/// the data files. A <see cref="FakeBackend"/> serves personalize-campaign variations; every backend call (fake or
/// built-in) is recorded in <see cref="BackendCalls"/>.
/// </summary>
public sealed class TestCluster : IAsyncDisposable
{
    /// <summary>How long a test waits for something happening in the background before it fails (never a sleep).</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private static readonly TimeSpan PollStep = TimeSpan.FromMilliseconds(5);

    private readonly TestClusterOptions _options;
    private readonly List<TestSilo> _silos = [];

    private TestCluster(TestClusterOptions options, string directory)
    {
        _options = options;
        Directory = directory;
        Backend = new FakeBackend(options.FakeBackendTypes);
    }

    public ManualTimeProvider Time { get; } = new();

    public MemoryGrainStore Store { get; } = new();

    public BackendCallLog BackendCalls { get; } = new();

    public FakeBackend Backend { get; }

    public CapturedLogs Logs { get; } = new();

    /// <summary>The cluster's folder: config file, <see cref="TestCatalog"/> file and the generated sample data.</summary>
    public string Directory { get; }

    public string ConfigPath => Path.Combine(Directory, "config.json");

    public string FakeCatalogPath => Path.Combine(Directory, TestCatalog.FileName);

    public IReadOnlyList<TestSilo> Silos => _silos;

    /// <summary>Silo 0's client.</summary>
    public HttpClient Client => _silos[0].Client;

    public HttpClient ClientOf(int silo) => _silos[silo].Client;

    public IGrainFactory GrainFactory(int silo = 0) => _silos[silo].GrainFactory;

    public T GetService<T>(int silo = 0) where T : notnull => _silos[silo].Services.GetRequiredService<T>();

    public static async Task<TestCluster> StartAsync(TestClusterOptions? options = null)
    {
        options ??= new TestClusterOptions();
        var cluster = new TestCluster(options, TestDirectories.Create("cluster"));
        try
        {
            if (options.SampleData)
            {
                await SampleData.CopyToAsync(Path.Combine(cluster.Directory, SampleData.Folder));
            }

            await File.WriteAllTextAsync(cluster.FakeCatalogPath, TestCatalog.Jsonl());
            await File.WriteAllTextAsync(cluster.ConfigPath, options.ConfigJson ?? TestConfig.Json(withStore: options.SampleData));
            for (var i = 0; i < options.SiloCount; i++)
            {
                var silo = new TestSilo(i, cluster.BuildSiloAsync);
                cluster._silos.Add(silo);
                await silo.StartAsync(CancellationToken.None);
            }

            if (options.WaitForReady)
            {
                await cluster.WaitForReadyAsync();
            }

            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>Moves the shared clock; timers due on the way (config poll, catalog sync, grain timers, idle collection) fire inside.</summary>
    public void AdvanceTime(TimeSpan delta) => Time.Advance(delta);

    public Task DeactivateGrainAsync<TGrain>(string key, int silo = 0) where TGrain : IGrainWithStringKey
    {
        var runtime = _silos[silo].Runtime;
        return runtime.DeactivateAsync(runtime.GetGrainId<TGrain>(key));
    }

    public bool IsActive<TGrain>(string key, int silo = 0) where TGrain : IGrainWithStringKey
    {
        var runtime = _silos[silo].Runtime;
        return runtime.IsActive(runtime.GetGrainId<TGrain>(key));
    }

    /// <summary>Stops silo <paramref name="silo"/> (grains deactivate and flush their state) and starts a fresh one in its place.</summary>
    public async Task RestartSiloAsync(int silo)
    {
        await _silos[silo].StopAsync();
        await _silos[silo].StartAsync(CancellationToken.None);
        if (_options.WaitForReady)
        {
            await WaitForReadyAsync();
        }
    }

    public Task StopSiloAsync(int silo) => _silos[silo].StopAsync();

    /// <summary>Replaces the config file (picked up by the silos' poll timer when time advances, or by <see cref="ReloadConfigAsync"/>).</summary>
    public Task WriteConfigAsync(string json) => File.WriteAllTextAsync(ConfigPath, json);

    public Task WriteConfigAsync(JsonNode document) => WriteConfigAsync(document.ToJsonString());

    /// <summary>Makes every running silo re-read the config file now; the store's verdict per silo (null: content unchanged).</summary>
    public async Task<IReadOnlyList<ConfigurationApplyResult?>> ReloadConfigAsync()
    {
        var results = new List<ConfigurationApplyResult?>();
        foreach (var silo in _silos.Where(s => s.IsRunning))
        {
            results.Add(await silo.ConfigurationSource.ReloadAsync(CancellationToken.None));
        }

        return results;
    }

    /// <summary>Advances the clock past the file source's poll interval and waits until every running silo serves <paramref name="version"/>.</summary>
    public async Task AdvanceToConfigVersionAsync(string version)
    {
        AdvanceTime(new FileConfigurationSourceOptions().PollInterval);
        await WaitForConfigVersionAsync(version);
    }

    /// <summary>Waits (bounded) until every running silo has <paramref name="version"/> live and its data loaded.</summary>
    public async Task WaitForConfigVersionAsync(string version)
    {
        await WaitUntilAsync(
            () => RunningSilos.All(s => s.Configuration.Current?.Version == version),
            () => $"config version '{version}' not live; live: {string.Join(", ", RunningSilos.Select(s => s.Configuration.Current?.Version ?? "(none)"))}; " +
                  $"last rejection: {string.Join("; ", RunningSilos.SelectMany(s => s.Configuration.LastRejection?.Errors ?? []))}");
        await WaitForReadyAsync();
    }

    /// <summary>Waits (bounded) until every running silo has a configuration and the data of that configuration loaded.</summary>
    public Task WaitForReadyAsync() =>
        WaitUntilAsync(
            () => RunningSilos.All(s => s.Configuration.IsReady && s.Data.IsReady),
            () => "silos not ready: " + string.Join("; ", RunningSilos.Select(s =>
                $"silo {s.Index}: config {s.Configuration.Current?.Version ?? "(none)"} {s.Configuration.LastRejection?.Errors.FirstOrDefault()}, data error {s.Data.LastError}")));

    /// <summary>
    /// Advances the clock by <paramref name="step"/> until <paramref name="condition"/> holds, for work a background loop
    /// does when a timer it armed falls due (the loop may arm its timer a moment after the test's first advance).
    /// </summary>
    public async Task AdvanceTimeUntilAsync(TimeSpan step, Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"gave up waiting for {what}");
            }

            AdvanceTime(step);
            for (var i = 0; i < 40 && !condition(); i++)
            {
                await Task.Delay(PollStep);
            }
        }
    }

    /// <summary>Bounded polling for something a background task finishes; fails the test with <paramref name="describe"/> instead of hanging.</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, Func<string> describe)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException(describe());
            }

            await Task.Delay(PollStep);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var silo in _silos)
        {
            await silo.StopAsync();
        }

        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // The run's root folder is removed at exit.
        }
    }

    private IEnumerable<TestSilo> RunningSilos => _silos.Where(s => s.IsRunning);

    private Task<WebApplication> BuildSiloAsync(CancellationToken cancellationToken) =>
        SiloApplication.BuildAsync(
            ["--Config:Path=" + ConfigPath, "--Samples:Generate=false"],
            new SiloHooks
            {
                ConfigureBuilder = builder =>
                {
                    builder.WebHost.UseTestServer();
                    builder.Logging.ClearProviders();
                    builder.Logging.AddProvider(Logs);
                },
                ConfigureServices = ConfigureServices,
            },
            cancellationToken);

    private void ConfigureServices(IServiceCollection services)
    {
        services.AddSingleton<TimeProvider>(Time);
        services.AddMemoryGrainStorage(GrainStorageNames.Default, Store);

        // Reloads come from the clock (poll timer) or ReloadConfigAsync, never from an OS watcher thread.
        services.Configure<FileConfigurationSourceOptions>(o => o.UseFileSystemWatcher = false);
        if (Backend.Types.Count > 0)
        {
            // First, so it wins over any other backend for its types.
            services.Insert(0, ServiceDescriptor.Singleton<IRecommenderBackend>(Backend));
        }

        _options.ConfigureServices?.Invoke(services);
        BackendCalls.Decorate(services);
    }
}
