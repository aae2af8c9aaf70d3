namespace Personalization.Aws.AppConfigData;

/// <summary>Output of StartConfigurationSession.</summary>
public sealed class StartConfigurationSessionResponse
{
    public string? InitialConfigurationToken { get; set; }
}
