namespace Personalization.Aws.AppConfigData;

/// <summary>AWS AppConfig Data (restJson1, signing name appconfig).</summary>
public interface IAppConfigDataClient
{
    Task<StartConfigurationSessionResponse> StartConfigurationSessionAsync(StartConfigurationSessionRequest request, CancellationToken cancellationToken = default);

    /// <summary>Returns the raw configuration (empty when unchanged) and the token/interval for the next poll.</summary>
    Task<GetLatestConfigurationResponse> GetLatestConfigurationAsync(GetLatestConfigurationRequest request, CancellationToken cancellationToken = default);
}
