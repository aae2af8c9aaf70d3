using System.Text;
using Microsoft.Extensions.Options;
using Personalization.Grains.Configuration;
using Personalization.TestSupport;
using Xunit;

namespace Personalization.Grains.Tests.Configuration;

public sealed class FileConfigurationSourceTests : IDisposable
{
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(10);
    private readonly string _dir = Directory.CreateTempSubdirectory("p13n-config-").FullName;
    private readonly ManualTimeProvider _time = new();

    private string ConfigPath => Path.Combine(_dir, "config.json");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Version(string version) => $$"""{ "version": "{{version}}", "namespaces": { "a": { "eventTargets": [] } } }""";

    private FileConfigurationSource Create(ConfigurationStore store) =>
        new(Options.Create(new FileConfigurationSourceOptions { Path = ConfigPath, PollInterval = Poll, UseFileSystemWatcher = false }), store, _time);

    [Fact]
    public async Task Loads_at_start_then_polls_good_and_bad_changes()
    {
        File.WriteAllText(ConfigPath, Version("1"));
        var store = new ConfigurationStore(_time);
        await using var source = Create(store);

        await source.StartAsync(CancellationToken.None);
        Assert.Equal("1", store.Current!.Version);

        File.WriteAllText(ConfigPath, Version("2"));
        _time.Advance(Poll);
        await source.LastReload;
        Assert.Equal("2", store.Current!.Version);

        File.WriteAllText(ConfigPath, """{ "version": "3", "namespaces": { "a": { } } }""");
        _time.Advance(Poll);
        await source.LastReload;
        Assert.Equal("2", store.Current!.Version);
        Assert.Equal(source.Origin, store.LastRejection!.Origin);
        Assert.Equal("namespaces.a: a namespace needs recommenders or eventTargets", Assert.Single(store.LastRejection.Errors).ToString());

        File.WriteAllText(ConfigPath, Version("4"));
        _time.Advance(Poll);
        await source.LastReload;
        Assert.Equal("4", store.Current!.Version);

        await source.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Unchanged_content_is_not_reapplied()
    {
        File.WriteAllText(ConfigPath, Version("1"));
        var store = new ConfigurationStore(_time);
        var changes = 0;
        store.Changed += _ => changes++;
        await using var source = Create(store);
        await source.StartAsync(CancellationToken.None);

        File.WriteAllText(ConfigPath, Version("1"));
        _time.Advance(Poll);
        await source.LastReload;

        Assert.Equal(1, changes);
        Assert.Null(await source.ReloadAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Missing_file_is_reported_and_picked_up_once_it_appears()
    {
        var store = new ConfigurationStore(_time);
        await using var source = Create(store);

        await source.StartAsync(CancellationToken.None);
        Assert.False(store.IsReady);
        Assert.StartsWith("cannot read the configuration file", Assert.Single(store.LastRejection!.Errors).Message);

        File.WriteAllText(ConfigPath, Version("9"));
        _time.Advance(Poll);
        await source.LastReload;
        Assert.Equal("9", store.Current!.Version);
    }

    [Fact]
    public async Task Watcher_change_is_debounced_through_the_time_provider()
    {
        File.WriteAllText(ConfigPath, Version("1"));
        var store = new ConfigurationStore(_time);
        await using var source = new FileConfigurationSource(
            Options.Create(new FileConfigurationSourceOptions { Path = ConfigPath, PollInterval = TimeSpan.Zero, DebounceDelay = TimeSpan.FromSeconds(1) }),
            store,
            _time);
        await source.StartAsync(CancellationToken.None);
        var scheduled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        source.ReloadScheduled += () => scheduled.TrySetResult();

        File.WriteAllText(ConfigPath, Version("2"));
        await scheduled.Task.WaitAsync(TimeSpan.FromSeconds(30));

        _time.Advance(TimeSpan.FromMilliseconds(999));
        Assert.Equal("1", store.Current!.Version);

        // One write can raise several watcher events, each re-arming the debounce; step the clock until it fires.
        for (var step = 0; step < 10 && store.Current!.Version != "2"; step++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            await source.LastReload;
        }

        Assert.Equal("2", store.Current!.Version);
    }

    [Fact]
    public void Path_is_required() =>
        Assert.Throws<ArgumentException>(() => new FileConfigurationSource(Options.Create(new FileConfigurationSourceOptions()), new ConfigurationStore(_time), _time));
}
