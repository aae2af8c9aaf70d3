using System.Globalization;
using Personalization.Aws.Configuration;
using Personalization.Aws.Transport;

namespace Personalization.Aws.AppConfigData;

public sealed class AppConfigDataClient(AwsTransport transport) : IAppConfigDataClient
{
    public const string NextPollConfigurationTokenHeader = "Next-Poll-Configuration-Token";
    public const string NextPollIntervalInSecondsHeader = "Next-Poll-Interval-In-Seconds";
    public const string VersionLabelHeader = "Version-Label";

    public async Task<StartConfigurationSessionResponse> StartConfigurationSessionAsync(StartConfigurationSessionRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrEmpty(request.ApplicationIdentifier) || string.IsNullOrEmpty(request.EnvironmentIdentifier) || string.IsNullOrEmpty(request.ConfigurationProfileIdentifier))
        {
            throw new ArgumentException("StartConfigurationSession needs ApplicationIdentifier, EnvironmentIdentifier and ConfigurationProfileIdentifier.", nameof(request));
        }

        return await transport.InvokeJsonAsync(AwsService.AppConfigData, "StartConfigurationSession", HttpMethod.Post, "/configurationsessions", request, AppConfigDataJsonContext.Default.StartConfigurationSessionRequest, AppConfigDataJsonContext.Default.StartConfigurationSessionResponse, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidDataException("AppConfigData StartConfigurationSession returned an empty body.");
    }

    public Task<GetLatestConfigurationResponse> GetLatestConfigurationAsync(GetLatestConfigurationRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrEmpty(request.ConfigurationToken))
        {
            throw new ArgumentException("GetLatestConfiguration needs ConfigurationToken.", nameof(request));
        }

        var path = "/configuration?configuration_token=" + Uri.EscapeDataString(request.ConfigurationToken);
        return transport.SendAsync(AwsService.AppConfigData, new AwsRequest("GetLatestConfiguration", HttpMethod.Get, path, ReadOnlyMemory<byte>.Empty), 0, static async (response, _, ct) =>
        {
            var body = await response.Content.ReadAsByteArrayAsync(ct).ConfigureAwait(false);
            return new GetLatestConfigurationResponse
            {
                NextPollConfigurationToken = Header(response, NextPollConfigurationTokenHeader),
                NextPollIntervalInSeconds = int.TryParse(Header(response, NextPollIntervalInSecondsHeader), NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds) ? seconds : 0,
                ContentType = response.Content.Headers.ContentType?.ToString(),
                VersionLabel = Header(response, VersionLabelHeader),
                Configuration = body,
            };
        }, cancellationToken);
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.NonValidated.TryGetValues(name, out var values) ? values.ToString() : null;
}
