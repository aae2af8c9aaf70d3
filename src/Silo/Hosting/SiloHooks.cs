namespace Personalization.Silo.Hosting;

/// <summary>
/// Adjustments an embedder (in practice: tests) makes to a silo without changing what production builds: host
/// settings before the silo registers itself, and replacements (clock, grain storage, backends) after.
/// </summary>
public sealed class SiloHooks
{
    /// <summary>Runs first, on the builder: host settings such as a test server or logging providers.</summary>
    public Action<WebApplicationBuilder>? ConfigureBuilder { get; init; }

    /// <summary>Runs after the silo's clustering and storage are configured, so a registration here wins (a test's membership table).</summary>
    public Action<ISiloBuilder>? ConfigureSilo { get; init; }

    /// <summary>Runs after every registration of the silo, before the app is built, so a registration here wins.</summary>
    public Action<IServiceCollection>? ConfigureServices { get; init; }
}
