namespace Personalization.Aws.AppConfigData;

/// <summary>Output of GetLatestConfiguration: headers plus the raw body. An empty Configuration means unchanged since the last poll.</summary>
public sealed class GetLatestConfigurationResponse
{
    public string? NextPollConfigurationToken { get; set; }

    public int NextPollIntervalInSeconds { get; set; }

    public string? ContentType { get; set; }

    public ReadOnlyMemory<byte> Configuration { get; set; }

    public string? VersionLabel { get; set; }
}
