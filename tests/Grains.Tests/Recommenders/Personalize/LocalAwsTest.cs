using Personalization.Aws;
using Personalization.Aws.Configuration;
using Personalization.LocalAws;
using Xunit;

namespace Personalization.Grains.Tests.Recommenders.Personalize;

/// <summary>Base for tests against a fresh in-process local AWS server (one per test, so faults never leak).</summary>
public abstract class LocalAwsTest : IAsyncLifetime
{
    private readonly List<AwsClientFactory> _factories = [];

    protected LocalAwsServer Server { get; private set; } = null!;

    protected LocalAwsState State => Server.State;

    public async Task InitializeAsync() => Server = await LocalAwsServer.StartAsync();

    public async Task DisposeAsync()
    {
        await BeforeServerStopsAsync();
        foreach (var factory in _factories)
        {
            factory.Dispose();
        }

        await Server.DisposeAsync();
    }

    /// <summary>Stops whatever the test started against the server (pollers, hosted services).</summary>
    protected virtual Task BeforeServerStopsAsync() => Task.CompletedTask;

    /// <summary>Clients aimed at the server; retries have no delay so tests stay fast and deterministic.</summary>
    protected AwsClientFactory Clients(Action<AwsClientOptions>? configure = null)
    {
        var factory = new AwsClientFactory(Server.ClientOptions(options =>
        {
            options.RetryBaseDelay = TimeSpan.Zero;
            options.RetryMaxDelay = TimeSpan.Zero;
            configure?.Invoke(options);
        }));
        _factories.Add(factory);
        return factory;
    }
}
