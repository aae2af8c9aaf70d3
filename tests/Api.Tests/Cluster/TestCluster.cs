using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Personalization.Grains.Configuration;
using Personalization.Grains.Recommenders;
using Personalization.Silo.Hosting;
using Personalization.TestSupport;

namespace Personalization.Api.Tests.Cluster;

/// <summary>
/// N Orleans silos in this process, each the real <see cref="SiloApplication"/> on a TestServer with its own loopback
/// silo/gateway ports, joined through one <see cref="SharedMembershipTable"/>. They share one manual clock for the
/// domain and grain timers, one <see cref="SharedGrainStore"/> (state survives restarts and kills) and one temp folder
/// holding the config file (reloaded on the clock's poll or on demand) and the data files. A <see cref="FakeBackend"/>
/// serves personalize-campaign variations; every backend call (fake or built-in) is recorded in <see cref="BackendCalls"/>.
/// </summary>
public sealed class TestCluster : IAsyncDisposable
{
    /// <summary>How long a test waits for something happening in the background before it fails (never a sleep).</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    /// <summary>How long the survivors may take to declare a killed silo dead (a few missed probes and votes on a busy machine).</summary>
    public static readonly TimeSpan MembershipPatience = TimeSpan.FromSeconds(60);

    private static readonly TimeSpan PollStep = TimeSpan.FromMilliseconds(5);

    /// <summary>
    /// Orleans' own clocks stay on real time: a frozen manual clock would stall membership, messaging timeouts and
    /// directory maintenance (and advancing it would run those loops inline in a test). Only
    /// <see cref="TimeProviderNames.Grains"/> is left to fall back to the manual clock, because grain timers drive the
    /// coalesced state writes that tests flush by advancing time.
    /// </summary>
    private static readonly string[] OrleansRealTimeAreas =
    [
        TimeProviderNames.Membership,
        TimeProviderNames.Messaging,
        TimeProviderNames.SystemTimers,
        TimeProviderNames.GrainDirectory,
        TimeProviderNames.ActivationManagement,
    ];

    private readonly TestClusterOptions _options;
    private readonly List<TestSilo> _silos = [];
    private readonly string _clusterId = "test-" + Guid.NewGuid().ToString("N")[..12];

    private TestCluster(TestClusterOptions options, string directory)
    {
        _options = options;
        Directory = directory;
        Backend = new FakeBackend(options.FakeBackendTypes);
        Logs = new CapturedLogs(options.CapturedLogLevel);
    }

    public ManualTimeProvider Time { get; } = new();

    public SharedGrainStore Store { get; } = new();

    public SharedMembershipTable Membership { get; } = new();

    public BackendCallLog BackendCalls { get; } = new();

    public FakeBackend Backend { get; }

    public CapturedLogs Logs { get; }

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

            await cluster.WaitForMembershipAsync();
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

    /// <summary>Moves the shared clock; timers due on the way (config poll, catalog sync, grain timers) fire inside.</summary>
    public void AdvanceTime(TimeSpan delta) => Time.Advance(delta);

    /// <summary>Deactivates the grain wherever it lives (its OnDeactivateAsync runs, flushing state), through the management grain.</summary>
    public Task DeactivateGrainAsync<TGrain>(string key, int silo = 0) where TGrain : IGrainWithStringKey
    {
        var grains = GrainFactory(silo);
        return grains.GetGrain<IManagementGrain>(0).DeactivateGrain(grains.GetGrain<TGrain>(key).GetGrainId(), CancellationToken.None);
    }

    /// <summary>Whether the grain has an activation on any silo of the cluster.</summary>
    public async Task<bool> IsActiveAsync<TGrain>(string key, int silo = 0) where TGrain : IGrainWithStringKey
    {
        var grains = GrainFactory(silo);
        var id = grains.GetGrain<TGrain>(key).GetGrainId();
        var active = await grains.GetGrain<IManagementGrain>(0).GetActiveGrains(id.Type);
        return active.Contains(id);
    }

    /// <summary>The index of the silo holding the grain's activation (the grain is activated if it was not).</summary>
    public async Task<int> SiloHoldingAsync<TGrain>(string key, int silo = 0) where TGrain : IGrainWithStringKey
    {
        var grains = GrainFactory(silo);
        var address = await grains.GetGrain<IManagementGrain>(0).GetActivationAddress(grains.GetGrain<TGrain>(key));
        var holder = _silos.FindIndex(s => s.IsRunning && s.SiloAddress.Equals(address));
        return holder >= 0 ? holder : throw new InvalidOperationException($"grain {typeof(TGrain).Name} '{key}' is on {address?.ToString() ?? "no silo"}, not on a running test silo");
    }

    /// <summary>Stops silo <paramref name="silo"/> gracefully (grains deactivate and flush their state) and starts a fresh one in its place.</summary>
    public async Task RestartSiloAsync(int silo)
    {
        await _silos[silo].StopAsync();
        await _silos[silo].StartAsync(CancellationToken.None);
        await WaitForMembershipAsync();
        if (_options.WaitForReady)
        {
            await WaitForReadyAsync();
        }
    }

    /// <summary>Graceful stop: the silo tells the cluster it leaves and flushes its grains' state.</summary>
    public Task StopSiloAsync(int silo) => _silos[silo].StopAsync();

    /// <summary>
    /// Abrupt stop, then waits (bounded) until every surviving silo's membership has declared the killed one dead, so
    /// its grains are re-activated elsewhere rather than called at a dead address.
    /// </summary>
    public async Task KillSiloAsync(int silo)
    {
        var address = _silos[silo].SiloAddress;
        await _silos[silo].KillAsync();
        await WaitUntilAsync(
            () => RunningSilos.All(s => s.StatusOf(address) == SiloStatus.Dead),
            () => $"the killed silo {address} is not Dead for every survivor: {string.Join(", ", RunningSilos.Select(s => $"silo {s.Index} sees {s.StatusOf(address)}"))}",
            MembershipPatience);
    }

    /// <summary>Replaces the config file (picked up by the silos' poll timer when time advances, or by <see cref="ReloadConfigAsync()"/>).</summary>
    public Task WriteConfigAsync(string json) => File.WriteAllTextAsync(ConfigPath, json);

    public Task WriteConfigAsync(JsonNode document) => WriteConfigAsync(document.ToJsonString());

    /// <summary>Makes every running silo re-read the config file now; the store's verdict per silo (null: content unchanged).</summary>
    public async Task<IReadOnlyList<ConfigurationApplyResult?>> ReloadConfigAsync()
    {
        var results = new List<ConfigurationApplyResult?>();
        foreach (var silo in RunningSilos)
        {
            results.Add(await silo.ConfigurationSource.ReloadAsync(CancellationToken.None));
        }

        return results;
    }

    /// <summary>Makes one silo re-read the config file now, leaving the others on what they have (silos mid-rollout).</summary>
    public Task<ConfigurationApplyResult?> ReloadConfigAsync(int silo) => _silos[silo].ConfigurationSource.ReloadAsync(CancellationToken.None);

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

    /// <summary>Waits (bounded) until every running silo sees every running silo Active, so grain placement spans the whole cluster.</summary>
    public Task WaitForMembershipAsync() =>
        WaitUntilAsync(
            () => RunningSilos.All(viewer => RunningSilos.All(s => viewer.StatusOf(s.SiloAddress) == SiloStatus.Active)),
            () => "membership not converged: " + string.Join("; ", RunningSilos.Select(viewer =>
                $"silo {viewer.Index} sees " + string.Join(", ", RunningSilos.Select(s => $"{s.Index}={viewer.StatusOf(s.SiloAddress)}")))),
            MembershipPatience);

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
    public static async Task WaitUntilAsync(Func<bool> condition, Func<string> describe, TimeSpan? patience = null)
    {
        var deadline = DateTime.UtcNow + (patience ?? Patience);
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
        // Last silo first: the others would otherwise each watch a silo leave before their own turn.
        for (var i = _silos.Count - 1; i >= 0; i--)
        {
            await _silos[i].StopAsync();
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

    private Task<WebApplication> BuildSiloAsync(TestSilo silo, CancellationToken cancellationToken) =>
        SiloApplication.BuildAsync(
            [
                "--Config:Path=" + ConfigPath,
                "--Samples:Generate=false",
                "--Cluster:Provider=localhost",
                "--Storage:Provider=memory",
                "--Cluster:ClusterId=" + _clusterId,
                "--Cluster:AdvertisedIP=127.0.0.1",
                FormattableString.Invariant($"--Cluster:SiloPort={silo.SiloPort}"),
                FormattableString.Invariant($"--Cluster:GatewayPort={silo.GatewayPort}"),
                .. _options.Settings.Select(s => $"--{s.Key}={s.Value}"),
            ],
            new SiloHooks
            {
                ConfigureBuilder = builder =>
                {
                    builder.WebHost.UseTestServer();
                    builder.Logging.ClearProviders();
                    builder.Logging.AddProvider(Logs);
                },
                ConfigureSilo = ConfigureSilo,
                ConfigureServices = ConfigureServices,
            },
            cancellationToken);

    private void ConfigureSilo(ISiloBuilder silo)
    {
        // Registered after localhost clustering: the last IMembershipTable wins, so all silos meet in one table.
        silo.Services.AddSingleton<IMembershipTable>(Membership);
        silo.AddSharedGrainStorageAsDefault(Store);
        silo.Configure<ClusterMembershipOptions>(options =>
        {
            // A killed silo is declared dead within seconds rather than a minute. Not shorter: on a busy build machine a
            // healthy silo that misses probes would be voted dead and stop itself.
            options.ProbeTimeout = TimeSpan.FromSeconds(2);
            options.NumMissedProbesLimit = 2;
            options.TableRefreshTimeout = TimeSpan.FromSeconds(2);
        });
    }

    private void ConfigureServices(IServiceCollection services)
    {
        services.AddSingleton<TimeProvider>(Time);
        foreach (var area in OrleansRealTimeAreas)
        {
            services.AddKeyedSingleton(area, TimeProvider.System);
        }

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
