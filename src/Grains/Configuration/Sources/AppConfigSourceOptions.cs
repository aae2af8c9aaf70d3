namespace Personalization.Grains.Configuration;

/// <summary>Which AWS AppConfig profile to follow (bind from configuration section "AppConfig").</summary>
public sealed class AppConfigSourceOptions
{
    /// <summary>Application name or id.</summary>
    public string Application { get; set; } = "";

    /// <summary>Environment name or id.</summary>
    public string Environment { get; set; } = "";

    /// <summary>Configuration profile name or id (the original deploys `Personalization-API-Config`).</summary>
    public string Profile { get; set; } = "";

    /// <summary>Asks the service never to tell us to poll more often than this (15–86400 s); null leaves it to the service.</summary>
    public int? RequiredMinimumPollIntervalInSeconds { get; set; }

    /// <summary>Wait after the first failed poll; doubles with each further failure up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Used when the service does not say when to poll next.</summary>
    public TimeSpan DefaultPollInterval { get; set; } = TimeSpan.FromSeconds(45);

    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Application) || string.IsNullOrWhiteSpace(Environment) || string.IsNullOrWhiteSpace(Profile))
        {
            throw new ArgumentException("AppConfig:Application, AppConfig:Environment and AppConfig:Profile are all required.");
        }

        if (RequiredMinimumPollIntervalInSeconds is < 15 or > 86400)
        {
            throw new ArgumentException($"AppConfig:RequiredMinimumPollIntervalInSeconds must be between 15 and 86400 (was {RequiredMinimumPollIntervalInSeconds}).");
        }

        if (RetryDelay <= TimeSpan.Zero || MaxRetryDelay < RetryDelay || DefaultPollInterval <= TimeSpan.Zero)
        {
            throw new ArgumentException("AppConfig:RetryDelay and AppConfig:DefaultPollInterval must be positive and AppConfig:MaxRetryDelay >= AppConfig:RetryDelay.");
        }
    }
}
