namespace Personalization.Aws.AppConfigData;

/// <summary>Input of GetLatestConfiguration (GET /configuration?configuration_token=).</summary>
public sealed class GetLatestConfigurationRequest
{
    public string ConfigurationToken { get; set; } = "";
}
