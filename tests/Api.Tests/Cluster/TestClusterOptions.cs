using Microsoft.Extensions.DependencyInjection;
using Personalization.Grains.Configuration;

namespace Personalization.Api.Tests.Cluster;

public sealed class TestClusterOptions
{
    public int SiloCount { get; init; } = 1;

    /// <summary>The configuration document written before the silos start; default <see cref="TestConfig.Json"/>.</summary>
    public string? ConfigJson { get; init; }

    /// <summary>Copy the small generated sample store into the cluster folder (needed by the default config's <c>store</c> namespace).</summary>
    public bool SampleData { get; init; } = true;

    /// <summary>Variation types the <see cref="TestCluster.Backend"/> fake serves; empty registers no fake.</summary>
    public IReadOnlyCollection<VariationType> FakeBackendTypes { get; init; } = [VariationType.PersonalizeCampaign];

    /// <summary>Wait for /ready conditions (configuration and data loaded) on every silo before returning.</summary>
    public bool WaitForReady { get; init; } = true;

    /// <summary>Host settings given to every silo as `--Key=Value` arguments (e.g. `Auth:Schemes`).</summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();

    /// <summary>The least level <see cref="TestCluster.Logs"/> keeps (after the silo's own level settings); default Warning.</summary>
    public Microsoft.Extensions.Logging.LogLevel CapturedLogLevel { get; init; } = Microsoft.Extensions.Logging.LogLevel.Warning;

    /// <summary>More registrations, applied after the cluster's own on every (re)start of every silo.</summary>
    public Action<IServiceCollection>? ConfigureServices { get; init; }
}
