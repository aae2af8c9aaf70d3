using System.Text;
using Microsoft.Extensions.Options;
using Personalization.Grains.Configuration;
using Personalization.Grains.Tests.Recommenders.Personalize;
using Personalization.LocalAws.Faults;
using Personalization.TestSupport;
using Xunit;

namespace Personalization.Grains.Tests.Configuration.AppConfig;

public sealed class AppConfigConfigurationSourceTests : LocalAwsTest
{
    private const string App = "personalization-apis";
    private const string Env = "prod";
    private const string Profile = "Personalization-API-Config";

    // The local server answers with max(its default of 60 s, the session's required minimum).
    private static readonly TimeSpan ServerInterval = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(5);

    private readonly ManualTimeProvider _time = new();
    private readonly List<AppConfigConfigurationSource> _sources = [];

    private static byte[] Version(string version) => Encoding.UTF8.GetBytes($$"""{ "version": "{{version}}", "namespaces": { "a": { "eventTargets": [] } } }""");

    private int Polls => State.Recorded.For("GetLatestConfiguration").Count;

    private int Sessions => State.Recorded.For("StartConfigurationSession").Count;

    private void Publish(byte[] content) => State.AppConfig.SetConfiguration(App, Env, Profile, content);

    private AppConfigConfigurationSource Create(ConfigurationStore store, int? requiredMinimum = null)
    {
        var options = new AppConfigSourceOptions
        {
            Application = App,
            Environment = Env,
            Profile = Profile,
            RequiredMinimumPollIntervalInSeconds = requiredMinimum,
            RetryDelay = RetryDelay,
        };
        var source = new AppConfigConfigurationSource(Options.Create(options), Clients(o => o.MaxRetries = 0).CreateAppConfigDataClient(), store, _time);
        _sources.Add(source);
        return source;
    }

    protected override async Task BeforeServerStopsAsync()
    {
        foreach (var source in _sources)
        {
            await source.DisposeAsync();
        }
    }

    [Fact]
    public async Task Loads_the_deployed_version_at_start()
    {
        Publish(Version("1"));
        var store = new ConfigurationStore(_time);
        var source = Create(store);

        await source.StartAsync(CancellationToken.None);

        Assert.Equal("1", store.Current!.Version);
        Assert.Equal(1, Sessions);
        Assert.Equal(ServerInterval, source.NextPollDelay);
        Assert.StartsWith($"appconfig:{App}/{Env}/{Profile}", store.LastActivation!.Origin, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Polls_at_the_interval_the_service_returns_and_applies_a_new_version()
    {
        Publish(Version("1"));
        var store = new ConfigurationStore(_time);
        var source = Create(store);
        await source.StartAsync(CancellationToken.None);
        Publish(Version("2"));

        _time.Advance(ServerInterval - TimeSpan.FromSeconds(1));
        Assert.Equal(1, Polls);
        Assert.Equal("1", store.Current!.Version);

        _time.Advance(TimeSpan.FromSeconds(1));
        await source.LastPoll;
        Assert.Equal(2, Polls);
        Assert.Equal("2", store.Current!.Version);

        // Unchanged: the service sends an empty body and the snapshot stays.
        _time.Advance(ServerInterval);
        await source.LastPoll;
        Assert.Equal(3, Polls);
        Assert.Equal("2", store.Current!.Version);
        Assert.Equal(1, Sessions);
    }

    [Fact]
    public async Task Honours_a_required_minimum_interval_longer_than_the_services_default()
    {
        Publish(Version("1"));
        var store = new ConfigurationStore(_time);
        var source = Create(store, requiredMinimum: 300);
        await source.StartAsync(CancellationToken.None);
        Publish(Version("2"));

        _time.Advance(TimeSpan.FromSeconds(299));
        Assert.Equal(1, Polls);
        _time.Advance(TimeSpan.FromSeconds(1));
        await source.LastPoll;
        Assert.Equal("2", store.Current!.Version);
    }

    [Fact]
    public async Task An_invalid_version_is_rejected_and_the_last_good_one_stays_live()
    {
        Publish(Version("1"));
        var store = new ConfigurationStore(_time);
        var source = Create(store);
        await source.StartAsync(CancellationToken.None);

        Publish("""{ "version": "2", "namespaces": { "a": { } } }"""u8.ToArray());
        _time.Advance(ServerInterval);
        await source.LastPoll;

        Assert.Equal("1", store.Current!.Version);
        Assert.NotNull(store.LastRejection);
        Assert.NotEmpty(store.LastRejection!.Errors);

        Publish(Version("3"));
        _time.Advance(ServerInterval);
        await source.LastPoll;
        Assert.Equal("3", store.Current!.Version);
    }

    [Fact]
    public async Task Failed_polls_are_reported_and_retried_with_backoff_keeping_the_session()
    {
        Publish(Version("1"));
        var store = new ConfigurationStore(_time);
        var source = Create(store);
        await source.StartAsync(CancellationToken.None);
        State.Faults.FailNext("GetLatestConfiguration", 2, InjectedFault.ServiceUnavailable);
        Publish(Version("2"));

        _time.Advance(ServerInterval);
        await source.LastPoll;
        Assert.Equal(RetryDelay, source.NextPollDelay);
        Assert.Contains("ServiceUnavailableException", store.LastRejection!.Errors[0].Message, StringComparison.Ordinal);

        _time.Advance(RetryDelay);
        await source.LastPoll;
        Assert.Equal(RetryDelay * 2, source.NextPollDelay);

        _time.Advance(RetryDelay * 2);
        await source.LastPoll;
        Assert.Equal("2", store.Current!.Version);
        Assert.Equal(ServerInterval, source.NextPollDelay);
        Assert.Equal(1, Sessions);
    }

    [Fact]
    public async Task A_token_the_service_refuses_starts_a_new_session()
    {
        Publish(Version("1"));
        var store = new ConfigurationStore(_time);
        var source = Create(store);
        await source.StartAsync(CancellationToken.None);
        State.Faults.FailNext("GetLatestConfiguration", 1, new InjectedFault("BadRequestException", 400, "The token has expired."));
        Publish(Version("2"));

        _time.Advance(ServerInterval);
        await source.LastPoll;
        Assert.Equal("1", store.Current!.Version);

        _time.Advance(RetryDelay);
        await source.LastPoll;
        Assert.Equal(2, Sessions);
        Assert.Equal("2", store.Current!.Version);
    }

    [Fact]
    public async Task A_missing_profile_at_start_is_reported_and_retried()
    {
        var store = new ConfigurationStore(_time);
        var source = Create(store);

        await source.StartAsync(CancellationToken.None);
        Assert.False(store.IsReady);
        Assert.Contains("ResourceNotFoundException", store.LastRejection!.Errors[0].Message, StringComparison.Ordinal);

        Publish(Version("1"));
        _time.Advance(RetryDelay);
        await source.LastPoll;
        Assert.Equal("1", store.Current!.Version);
    }

    [Fact]
    public void Options_are_validated()
    {
        var store = new ConfigurationStore(_time);
        Assert.Throws<ArgumentException>(() => new AppConfigConfigurationSource(Options.Create(new AppConfigSourceOptions { Application = App }), Clients().CreateAppConfigDataClient(), store, _time));
        Assert.Throws<ArgumentException>(() => new AppConfigConfigurationSource(
            Options.Create(new AppConfigSourceOptions { Application = App, Environment = Env, Profile = Profile, RequiredMinimumPollIntervalInSeconds = 5 }), Clients().CreateAppConfigDataClient(), store, _time));
    }
}
