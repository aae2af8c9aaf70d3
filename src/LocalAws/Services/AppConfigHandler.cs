using System.Collections.Concurrent;
using System.Globalization;
using Personalization.Aws.AppConfigData;

namespace Personalization.LocalAws.Services;

/// <summary>
/// AppConfigData sessions over configuration versions set by tests. A poll returns the content only when a newer
/// version exists than the session last saw (otherwise an empty body), and always a fresh single-use token.
/// </summary>
public sealed class AppConfigHandler(int defaultPollIntervalSeconds)
{
    private readonly ConcurrentDictionary<(string App, string Env, string Profile), ConfigurationVersion> _versions = new();
    private readonly ConcurrentDictionary<string, Session> _tokens = new(StringComparer.Ordinal);

    /// <summary>Publishes a new version; the next poll of every session of that profile returns it.</summary>
    public int SetConfiguration(string application, string environment, string profile, ReadOnlyMemory<byte> content, string contentType = "application/json", string? versionLabel = null)
    {
        var updated = _versions.AddOrUpdate(
            (application, environment, profile),
            _ => new ConfigurationVersion(1, content.ToArray(), contentType, versionLabel),
            (_, old) => new ConfigurationVersion(old.Number + 1, content.ToArray(), contentType, versionLabel));
        return updated.Number;
    }

    public LocalResponse StartConfigurationSession(ReadOnlyMemory<byte> body)
    {
        var request = LocalResponse.Read(body, AppConfigDataJsonContext.Default.StartConfigurationSessionRequest, false);
        if (string.IsNullOrEmpty(request.ApplicationIdentifier) || string.IsNullOrEmpty(request.EnvironmentIdentifier) || string.IsNullOrEmpty(request.ConfigurationProfileIdentifier))
        {
            throw new LocalAwsException(400, "BadRequestException", "ApplicationIdentifier, EnvironmentIdentifier and ConfigurationProfileIdentifier are required.");
        }

        if (request.RequiredMinimumPollIntervalInSeconds is < 15 or > 86400)
        {
            throw new LocalAwsException(400, "BadRequestException", "RequiredMinimumPollIntervalInSeconds must be between 15 and 86400.");
        }

        var key = (request.ApplicationIdentifier, request.EnvironmentIdentifier, request.ConfigurationProfileIdentifier);
        if (!_versions.ContainsKey(key))
        {
            throw new LocalAwsException(404, "ResourceNotFoundException", $"No configuration for {key.ApplicationIdentifier}/{key.EnvironmentIdentifier}/{key.ConfigurationProfileIdentifier}.");
        }

        var token = Issue(new Session(key, 0, Math.Max(defaultPollIntervalSeconds, request.RequiredMinimumPollIntervalInSeconds ?? 0)));
        return LocalResponse.Json(new StartConfigurationSessionResponse { InitialConfigurationToken = token }, AppConfigDataJsonContext.Default.StartConfigurationSessionResponse, false, 201);
    }

    public LocalResponse GetLatestConfiguration(string? token)
    {
        if (string.IsNullOrEmpty(token) || !_tokens.TryRemove(token, out var session))
        {
            throw new LocalAwsException(400, "BadRequestException", "The configuration token is missing, expired or already used.");
        }

        var current = _versions[session.Key];
        var changed = current.Number > session.SeenVersion;
        var next = Issue(session with { SeenVersion = current.Number });
        var headers = new Dictionary<string, string>
        {
            [AppConfigDataClient.NextPollConfigurationTokenHeader] = next,
            [AppConfigDataClient.NextPollIntervalInSecondsHeader] = session.PollIntervalSeconds.ToString(CultureInfo.InvariantCulture),
        };
        if (changed && current.VersionLabel is not null)
        {
            headers[AppConfigDataClient.VersionLabelHeader] = current.VersionLabel;
        }

        return new LocalResponse(200, changed ? current.Content : ReadOnlyMemory<byte>.Empty, changed ? current.ContentType : "application/octet-stream", headers);
    }

    private string Issue(Session session)
    {
        var token = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24));
        _tokens[token] = session;
        return token;
    }

    private sealed record ConfigurationVersion(int Number, byte[] Content, string ContentType, string? VersionLabel);

    private sealed record Session((string App, string Env, string Profile) Key, int SeenVersion, int PollIntervalSeconds);
}
