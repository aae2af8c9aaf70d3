using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Hosting.Kubernetes;
using Personalization.Silo.Hosting;
using Xunit;

namespace Personalization.Api.Tests.Hosting;

/// <summary>
/// Orleans' Kubernetes hosting is registered by the real silo builder exactly when POD_NAME and POD_NAMESPACE are set,
/// and start-up refuses settings the package would silently override (ORLEANS_SERVICE_ID / ORLEANS_CLUSTER_ID) or a pod
/// that would advertise loopback. The silos are built, not started: the package's agent needs a Kubernetes API.
/// </summary>
public sealed class KubernetesHostingTests : IDisposable
{
    private const string Config = """
        { "version": "k8s-1",
          "namespaces": { "shop": {
            "recommenders": { "recommend-items": { "top": { "variations": { "t": { "type": "builtin", "algorithm": "trending" } } } } } } } }
        """;

    private readonly string _folder = Directory.CreateTempSubdirectory("k8s-hosting-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Kubernetes_hosting_is_registered_in_a_pod()
    {
        var services = await BuildAsync("--POD_NAME=personalization-silo-abc12", "--POD_NAMESPACE=personalization", "--POD_IP=10.1.2.3");

        Assert.True(HasKubernetesHosting(services), "UseKubernetesHosting() was not called although POD_NAME and POD_NAMESPACE are set");
    }

    [Fact]
    public async Task Kubernetes_hosting_is_not_registered_without_the_pod_values()
    {
        // Blank values count as unset, and override a POD_* the machine running the tests may have.
        var services = await BuildAsync("--POD_NAME=", "--POD_NAMESPACE=", "--POD_IP=");

        Assert.False(HasKubernetesHosting(services), "UseKubernetesHosting() was called without POD_NAME and POD_NAMESPACE");
    }

    [Theory]
    [InlineData("--POD_NAME=personalization-silo-abc12", "--POD_NAMESPACE=")]
    [InlineData("--POD_NAME=", "--POD_NAMESPACE=personalization")]
    public async Task Kubernetes_hosting_needs_both_pod_name_and_namespace(string podName, string podNamespace)
    {
        var services = await BuildAsync(podName, podNamespace, "--POD_IP=10.1.2.3");

        Assert.False(HasKubernetesHosting(services));
    }

    [Fact]
    public async Task Orleans_ids_that_equal_the_cluster_settings_are_accepted()
    {
        var services = await BuildAsync(
            "--POD_NAME=personalization-silo-abc12", "--POD_NAMESPACE=personalization", "--POD_IP=10.1.2.3",
            "--Cluster:ServiceId=personalization", "--Cluster:ClusterId=personalization-silo",
            "--ORLEANS_SERVICE_ID=personalization", "--ORLEANS_CLUSTER_ID=personalization-silo");

        Assert.True(HasKubernetesHosting(services));
    }

    [Theory]
    [InlineData("--ORLEANS_SERVICE_ID=other-service", "ORLEANS_SERVICE_ID='other-service' disagrees with Cluster__ServiceId='personalization'")]
    [InlineData("--ORLEANS_CLUSTER_ID=other-cluster", "ORLEANS_CLUSTER_ID='other-cluster' disagrees with Cluster__ClusterId='personalization-silo'")]
    public async Task Orleans_ids_that_disagree_with_the_cluster_settings_stop_start_up(string orleansId, string message)
    {
        var error = await Assert.ThrowsAsync<SiloConfigurationException>(() => BuildAsync(
            "--POD_NAME=personalization-silo-abc12", "--POD_NAMESPACE=personalization", "--POD_IP=10.1.2.3",
            "--Cluster:ServiceId=personalization", "--Cluster:ClusterId=personalization-silo", orleansId));

        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void An_orleans_id_in_the_process_environment_is_checked_too()
    {
        // The package reads ORLEANS_* from the process environment, not from configuration.
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["POD_NAME"] = "personalization-silo-abc12",
            ["POD_NAMESPACE"] = "personalization",
            ["POD_IP"] = "10.1.2.3",
            ["Cluster:ClusterId"] = "personalization-silo",
        }).Build();
        var cluster = ClusterSettings.From(configuration);
        string? Environment(string name) => name == "ORLEANS_CLUSTER_ID" ? "staging" : null;

        var error = Assert.Throws<SiloConfigurationException>(() => KubernetesHosting.From(configuration, cluster, Environment));
        Assert.Contains("ORLEANS_CLUSTER_ID='staging'", error.Message, StringComparison.Ordinal);
        Assert.NotNull(KubernetesHosting.From(configuration, cluster, _ => null));
    }

    [Fact]
    public async Task A_pod_without_an_address_to_advertise_stops_start_up()
    {
        var error = await Assert.ThrowsAsync<SiloConfigurationException>(() => BuildAsync(
            "--POD_NAME=personalization-silo-abc12", "--POD_NAMESPACE=personalization", "--POD_IP=", "--Cluster:AdvertisedIP="));

        Assert.Contains("POD_IP", error.Message, StringComparison.Ordinal);
    }

    private static bool HasKubernetesHosting(IServiceCollection services) =>
        services.Any(d => d.ServiceType == typeof(IConfigureOptions<KubernetesHostingOptions>))
        && services.Any(d => d.ImplementationType?.Name == "KubernetesClusterAgent");

    /// <summary>Builds (does not start) a silo with <paramref name="args"/> and returns its final service registrations.</summary>
    private async Task<IServiceCollection> BuildAsync(params string[] args)
    {
        var configPath = Path.Combine(_folder, "config.json");
        await File.WriteAllTextAsync(configPath, Config);
        IServiceCollection? registered = null;
        var app = await SiloApplication.BuildAsync(
            [$"--Config:Path={configPath}", "--Samples:Generate=false", "--Logging:LogLevel:Default=Warning", .. args],
            new SiloHooks { ConfigureServices = services => registered = services });
        await app.DisposeAsync();
        return registered ?? throw new InvalidOperationException("the silo builder did not call ConfigureServices");
    }
}
