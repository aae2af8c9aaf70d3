using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using Personalization.Api;
using Personalization.Api.Auth;
using Personalization.Api.Limits;
using Personalization.Api.Observability;
using Personalization.Aws;
using Personalization.Aws.Configuration;
using Personalization.Catalog.Aws;
using Personalization.Grains.Catalog;
using Personalization.Grains.Configuration;
using Personalization.Grains.Hosting;
using Personalization.Grains.Recommenders.Personalize;
using Personalization.Grains.Recommenders.Resilience;
using Personalization.Grains.Samples;

namespace Personalization.Silo.Hosting;

/// <summary>
/// Builds a silo: one process hosting the Orleans silo and the HTTP API together, so any silo answers any request
/// and reaches a grain on another silo by a grain call. Configuration source, clustering and storage, the domain,
/// and the API.
/// </summary>
public static class SiloApplication
{
    public static Task<WebApplication> BuildAsync(string[] args, Action<WebApplicationBuilder>? configure = null, CancellationToken cancellationToken = default) =>
        BuildAsync(args, new SiloHooks { ConfigureBuilder = configure }, cancellationToken);

    public static async Task<WebApplication> BuildAsync(string[] args, SiloHooks hooks, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(hooks);
        // Settings files (appsettings.json: log levels) sit beside the binary; the working directory is wherever the
        // operator started it (`dotnet run --project src/Silo` runs from the repository root).
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        var options = new SiloOptions
        {
            ConfigSource = builder.Configuration["Config:Source"] ?? "file",
            ConfigPath = builder.Configuration["Config:Path"],
            EnsureSampleData = !string.Equals(builder.Configuration["Samples:Generate"], "false", StringComparison.OrdinalIgnoreCase),
        };
        if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["ASPNETCORE_URLS"]) && string.IsNullOrEmpty(builder.Configuration["http_ports"]))
        {
            builder.WebHost.UseUrls(SiloOptions.DefaultUrl);
        }

        hooks.ConfigureBuilder?.Invoke(builder);
        var cluster = ClusterSettings.From(builder.Configuration);
        AuthOptions auth;
        AbuseLimitOptions limits;
        ObservabilityOptions observability;
        try
        {
            auth = AuthOptions.Read(builder.Configuration);
            limits = AbuseLimitOptions.Read(builder.Configuration);
            observability = ObservabilityOptions.Read(builder.Configuration, builder.Environment.IsDevelopment());
        }
        catch (Exception exception) when (exception is AuthConfigurationException or FormatException)
        {
            throw new SiloConfigurationException(exception.Message);
        }

        builder.Logging.AddStructuredConsole(builder.Configuration);

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            // Kestrel answers 413 (body), 414 (request line) and 431 (headers) itself; slow senders are cut off.
            kestrel.Limits.MaxRequestBodySize = limits.MaxRequestBodyBytes;
            kestrel.Limits.MaxRequestLineSize = limits.MaxRequestLineBytes;
            kestrel.Limits.MaxRequestHeadersTotalSize = limits.MaxRequestHeadersBytes;
            kestrel.Limits.MinRequestBodyDataRate = new MinDataRate(limits.MinRequestBodyBytesPerSecond, TimeSpan.FromSeconds(5));
            kestrel.Limits.MinResponseDataRate = new MinDataRate(limits.MinResponseBytesPerSecond, TimeSpan.FromSeconds(5));
        });
        if (auth.AdminListenerUrl is { } adminListener)
        {
            // Added to, not instead of, the API's own addresses.
            var urls = builder.WebHost.GetSetting(WebHostDefaults.ServerUrlsKey);
            builder.WebHost.UseUrls([.. (string.IsNullOrEmpty(urls) ? SiloOptions.DefaultUrl : urls).Split(';', StringSplitOptions.RemoveEmptyEntries), adminListener]);
        }
        // Orleans' Kubernetes hosting, only in a pod (POD_NAME and POD_NAMESPACE set); it must agree with the cluster settings.
        var kubernetes = KubernetesHosting.From(builder.Configuration, cluster);
        var configPath = Path.GetFullPath(options.ConfigPath ?? EmbeddedDefault.ConfigPath());
        if (options.ConfigPath is null && options.EnsureSampleData)
        {
            await new SampleDataFiles(EmbeddedDefault.DataDirectory(configPath)).EnsureAsync(new SampleStoreOptions(), cancellationToken);
        }

        var services = builder.Services;
        if (string.Equals(options.ConfigSource, "appconfig", StringComparison.OrdinalIgnoreCase))
        {
            services.AddAppConfigConfiguration(appConfig => builder.Configuration.GetSection("Config:AppConfig").Bind(appConfig));
        }
        else if (string.Equals(options.ConfigSource, "file", StringComparison.OrdinalIgnoreCase))
        {
            services.AddFileConfiguration(source => source.Path = configPath);
        }
        else
        {
            throw new SiloConfigurationException($"Config__Source must be file or appconfig, not '{options.ConfigSource}'.");
        }

        var resilience = new BackendResilienceOptions();
        builder.Configuration.GetSection("Resilience").Bind(resilience);
        try
        {
            resilience.Validate();
        }
        catch (ArgumentException e)
        {
            throw new SiloConfigurationException(e.Message);
        }

        services.AddSingleton(resilience);
        var catalogSources = new CatalogSourceOptions();
        builder.Configuration.GetSection("Catalog").Bind(catalogSources);
        try
        {
            catalogSources.Validate();
        }
        catch (ArgumentException e)
        {
            throw new SiloConfigurationException(e.Message);
        }

        services.AddSingleton(Options.Create(catalogSources));
        services.AddPersonalizationGrains(Path.GetDirectoryName(configPath)!);
        services.AddAwsCatalogSources(
            sp => AwsSdkClients.DynamoDB(sp.GetRequiredService<IOptions<AwsClientOptions>>().Value),
            sp => AwsSdkClients.S3(sp.GetRequiredService<IOptions<AwsClientOptions>>().Value));

        // AWS clients are created on first use, so a silo without AWS targets or backends never needs credentials.
        services.AddAwsClients(aws => builder.Configuration.GetSection("Aws").Bind(aws));
        services.AddPersonalizeBackends();
        builder.UseOrleans(silo =>
        {
            silo.UsePersonalizationCluster(cluster, builder.Configuration);
            silo.UsePersonalizationKubernetesHosting(kubernetes);
            silo.UsePersonalizationObservability(observability);
            hooks.ConfigureSilo?.Invoke(silo);
        });
        services.AddPersonalizationApi(auth, limits, observability);
        hooks.ConfigureServices?.Invoke(services);
        var app = builder.Build();
        app.UsePersonalizationApi();
        return app;
    }
}
