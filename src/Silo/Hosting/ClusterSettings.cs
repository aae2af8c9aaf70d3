using System.Net;

namespace Personalization.Silo.Hosting;

/// <summary>
/// How this silo joins its cluster and where grain state lives, from settings (environment `Cluster__*`,
/// `Storage__*`, or `--Cluster:...` on the command line). Names are a contract with operators: see the README.
/// </summary>
public sealed class ClusterSettings
{
    public const string Localhost = "localhost";
    public const string Redis = "redis";
    public const string DynamoDB = "dynamodb";
    public const string Memory = "memory";

    /// <summary>`localhost` (default: one machine, no other service), `redis`, or `dynamodb`.</summary>
    public required string Provider { get; init; }

    public required string ServiceId { get; init; }

    public required string ClusterId { get; init; }

    public required int SiloPort { get; init; }

    public required int GatewayPort { get; init; }

    /// <summary>The address other silos reach this one at: `Cluster__AdvertisedIP`, else `POD_IP`, else loopback.</summary>
    public required IPAddress AdvertisedIP { get; init; }

    public string? RedisConnectionString { get; init; }

    /// <summary>`memory` (default), `redis` or `dynamodb`.</summary>
    public required string StorageProvider { get; init; }

    public string? StorageRedisConnectionString { get; init; }

    /// <summary>Reads and checks the settings; a problem is a <see cref="SiloConfigurationException"/> naming the setting.</summary>
    public static ClusterSettings From(IConfiguration configuration)
    {
        var provider = (configuration["Cluster:Provider"] ?? Localhost).Trim().ToLowerInvariant();
        var storage = (configuration["Storage:Provider"] ?? Memory).Trim().ToLowerInvariant();
        var settings = new ClusterSettings
        {
            Provider = provider,
            ServiceId = NonEmpty(configuration, "Cluster:ServiceId", "personalization"),
            ClusterId = NonEmpty(configuration, "Cluster:ClusterId", "default"),
            SiloPort = Port(configuration, "Cluster:SiloPort", 11111),
            GatewayPort = Port(configuration, "Cluster:GatewayPort", 30000),
            AdvertisedIP = Address(configuration),
            RedisConnectionString = configuration["Cluster:Redis:ConnectionString"],
            StorageProvider = storage,
            StorageRedisConnectionString = configuration["Storage:Redis:ConnectionString"],
        };

        if (provider is not (Localhost or Redis or DynamoDB))
        {
            throw new SiloConfigurationException($"Cluster__Provider must be localhost, redis or dynamodb, not '{configuration["Cluster:Provider"]}'.");
        }

        if (storage is not (Memory or Redis or DynamoDB))
        {
            throw new SiloConfigurationException($"Storage__Provider must be memory, redis or dynamodb, not '{configuration["Storage:Provider"]}'.");
        }

        RequireRedisConnectionString(provider, "Cluster", settings.RedisConnectionString);
        RequireRedisConnectionString(storage, "Storage", settings.StorageRedisConnectionString);
        return settings;
    }

    private static void RequireRedisConnectionString(string provider, string section, string? connectionString)
    {
        if (provider == Redis && string.IsNullOrWhiteSpace(connectionString))
        {
            throw new SiloConfigurationException($"{section}__Provider=redis needs {section}__Redis__ConnectionString (for example 127.0.0.1:6379).");
        }
    }

    /// <summary>The setting's name as an operator writes it in the environment.</summary>
    private static string EnvironmentName(string key) => key.Replace(":", "__", StringComparison.Ordinal);

    private static string NonEmpty(IConfiguration configuration, string key, string fallback)
    {
        var value = configuration[key];
        if (value is null)
        {
            return fallback;
        }

        return string.IsNullOrWhiteSpace(value)
            ? throw new SiloConfigurationException($"{EnvironmentName(key)} must not be empty.")
            : value.Trim();
    }

    private static int Port(IConfiguration configuration, string key, int fallback)
    {
        var value = configuration[key];
        if (value is null)
        {
            return fallback;
        }

        return int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port) && port is > 0 and <= 65535
            ? port
            : throw new SiloConfigurationException($"{EnvironmentName(key)} must be a port number from 1 to 65535, not '{value}'.");
    }

    private static IPAddress Address(IConfiguration configuration)
    {
        var configured = configuration["Cluster:AdvertisedIP"];
        var value = !string.IsNullOrWhiteSpace(configured) ? configured : configuration["POD_IP"];
        if (string.IsNullOrWhiteSpace(value))
        {
            return IPAddress.Loopback;
        }

        return IPAddress.TryParse(value.Trim(), out var address)
            ? address
            : throw new SiloConfigurationException($"{(configured is null ? "POD_IP" : "Cluster__AdvertisedIP")} must be an IP address, not '{value}'.");
    }
}

/// <summary>A setting that stops start-up; its message is the one line an operator sees.</summary>
public sealed class SiloConfigurationException(string message) : Exception(message);
