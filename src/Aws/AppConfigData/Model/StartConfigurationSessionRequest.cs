namespace Personalization.Aws.AppConfigData;

/// <summary>Input of StartConfigurationSession (POST /configurationsessions).</summary>
public sealed class StartConfigurationSessionRequest
{
    public string ApplicationIdentifier { get; set; } = "";

    public string EnvironmentIdentifier { get; set; } = "";

    public string ConfigurationProfileIdentifier { get; set; } = "";

    public int? RequiredMinimumPollIntervalInSeconds { get; set; }
}
