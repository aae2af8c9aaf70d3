using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Personalization.Api.Auth;

/// <summary>Which credentials a request may present (`Auth:Schemes`); none means every endpoint is open.</summary>
[Flags]
public enum AuthSchemes
{
    None = 0,
    ApiKey = 1,
    Jwt = 2,
}

/// <summary>
/// Authentication and authorization settings (`Auth:*`, environment `Auth__*`). Read once at start-up, because the
/// schemes decide what is registered; <see cref="Read"/> reports every problem at once.
/// </summary>
public sealed class AuthOptions
{
    public AuthSchemes Schemes { get; init; }

    /// <summary>Keys configured inline (`Auth:ApiKeys:0:*`).</summary>
    public IReadOnlyList<ApiKeyEntry> ApiKeys { get; init; } = [];

    /// <summary>A JSON file of more keys (`Auth:ApiKeys:File`), re-read when it changes.</summary>
    public string? ApiKeysFile { get; init; }

    public JwtSettings Jwt { get; init; } = new();

    /// <summary>`Auth:AdminListener`: a port (or http://host:port URL) that alone serves the admin surfaces.</summary>
    public int? AdminPort { get; init; }

    public string? AdminListenerUrl { get; init; }

    public bool Enabled => Schemes != AuthSchemes.None;

    public static AuthOptions Read(IConfiguration configuration)
    {
        var section = configuration.GetSection("Auth");
        var errors = new List<string>();
        var schemes = ParseSchemes(section["Schemes"], errors);
        var keys = new List<ApiKeyEntry>();
        var keysSection = section.GetSection("ApiKeys");
        foreach (var child in keysSection.GetChildren().Where(c => !string.Equals(c.Key, "File", StringComparison.OrdinalIgnoreCase)))
        {
            keys.Add(ApiKeyEntry.Read(child, $"Auth__ApiKeys__{child.Key}", errors));
        }

        var file = keysSection["File"] is { Length: > 0 } path ? Path.GetFullPath(path) : null;
        if (file is not null && schemes.HasFlag(AuthSchemes.ApiKey))
        {
            try
            {
                _ = ApiKeyStore.ReadFile(file);
            }
            catch (AuthConfigurationException exception)
            {
                errors.AddRange(exception.Errors);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or System.Text.Json.JsonException)
            {
                errors.Add($"Auth__ApiKeys__File {file}: {exception.Message}");
            }
        }

        var jwt = JwtSettings.Read(section.GetSection("Jwt"), errors);
        var (adminPort, adminUrl) = ParseAdminListener(section["AdminListener"], errors);
        var options = new AuthOptions { Schemes = schemes, ApiKeys = keys, ApiKeysFile = file, Jwt = jwt, AdminPort = adminPort, AdminListenerUrl = adminUrl };
        errors.AddRange(new AuthOptionsValidator().Validate(options));
        return errors.Count == 0 ? options : throw new AuthConfigurationException(errors);
    }

    private static AuthSchemes ParseSchemes(string? value, List<string> errors)
    {
        var schemes = AuthSchemes.None;
        foreach (var name in (value ?? "none").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            switch (name.ToLowerInvariant())
            {
                case "none":
                    break;
                case "apikey":
                    schemes |= AuthSchemes.ApiKey;
                    break;
                case "jwt":
                    schemes |= AuthSchemes.Jwt;
                    break;
                default:
                    errors.Add($"Auth__Schemes: '{name}' is not a scheme; use none, apiKey, jwt or apiKey,jwt.");
                    break;
            }
        }

        return schemes;
    }

    private static (int? Port, string? Url) ParseAdminListener(string? value, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return (null, null);
        }

        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and < 65536)
        {
            return (port, $"http://0.0.0.0:{port}");
        }

        if (Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && !uri.IsDefaultPort)
        {
            return (uri.Port, value);
        }

        errors.Add($"Auth__AdminListener: '{value}' is neither a port nor an http://host:port address with an explicit port.");
        return (null, null);
    }

    /// <summary>A list setting: children (`X__0`, `X__1`) or one comma-separated value.</summary>
    internal static IReadOnlyList<string> ReadList(IConfigurationSection section)
    {
        if (section.Value is { } single)
        {
            return single.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        }

        return section.GetChildren().Select(c => c.Value?.Trim()).Where(v => !string.IsNullOrEmpty(v)).Select(v => v!).ToArray();
    }
}

/// <summary>The JWT scheme's settings (`Auth:Jwt:*`).</summary>
public sealed class JwtSettings
{
    public string? Authority { get; init; }

    public string? JwksUrl { get; init; }

    public string? Issuer { get; init; }

    public string? Audience { get; init; }

    public string UserIdClaim { get; init; } = "sub";

    /// <summary>Null: read both `scope` (space-separated, OAuth2/Cognito) and `scp` (string or array, Entra ID).</summary>
    public string? ScopeClaim { get; init; }

    /// <summary>How often the signing keys are re-read even when every kid is known (IdentityModel's minimum is 5 minutes).</summary>
    public TimeSpan AutomaticRefreshInterval { get; init; } = TimeSpan.FromHours(12);

    /// <summary>The least time between two key refreshes caused by an unknown kid, so a flood of forged kids costs one fetch.</summary>
    public TimeSpan RefreshInterval { get; init; } = TimeSpan.FromMinutes(1);

    public TimeSpan ClockSkew { get; init; } = TimeSpan.FromSeconds(30);

    internal static JwtSettings Read(IConfigurationSection section, List<string> errors) => new()
    {
        Authority = Blank(section["Authority"]),
        JwksUrl = Blank(section["JwksUrl"]),
        Issuer = Blank(section["Issuer"]),
        Audience = Blank(section["Audience"]),
        UserIdClaim = Blank(section["UserIdClaim"]) ?? "sub",
        ScopeClaim = Blank(section["ScopeClaim"]),
        AutomaticRefreshInterval = Seconds(section, "AutomaticRefreshSeconds", TimeSpan.FromHours(12), errors),
        RefreshInterval = Seconds(section, "RefreshSeconds", TimeSpan.FromMinutes(1), errors),
        ClockSkew = Seconds(section, "ClockSkewSeconds", TimeSpan.FromSeconds(30), errors),
    };

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static TimeSpan Seconds(IConfigurationSection section, string key, TimeSpan fallback, List<string> errors)
    {
        if (section[key] is not { Length: > 0 } value)
        {
            return fallback;
        }

        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0)
        {
            return TimeSpan.FromSeconds(seconds);
        }

        errors.Add($"Auth__Jwt__{key}: '{value}' is not a number of seconds.");
        return fallback;
    }
}

/// <summary>One API key, known by its SHA-256 only: a service principal for the listed namespaces and scopes.</summary>
public sealed class ApiKeyEntry
{
    public required string Name { get; init; }

    /// <summary>SHA-256 of the key's UTF-8 bytes (32 bytes).</summary>
    public required byte[] Hash { get; init; }

    /// <summary>Namespace keys, or `*` for all.</summary>
    public required IReadOnlyList<string> Namespaces { get; init; }

    public required IReadOnlyList<string> Scopes { get; init; }

    public bool AllowsNamespace(string ns) => Namespaces.Contains("*") || Namespaces.Contains(ns, StringComparer.Ordinal);

    internal static ApiKeyEntry Read(IConfigurationSection section, string label, List<string> errors)
    {
        var name = section["Name"];
        if (string.IsNullOrWhiteSpace(name))
        {
            errors.Add($"{label}__Name is missing (it names the key in logs and rate limits).");
        }

        var hex = section["Sha256"]?.Trim() ?? string.Empty;
        byte[] hash = [];
        try
        {
            hash = hex.Length == 64 ? Convert.FromHexString(hex) : [];
        }
        catch (FormatException)
        {
            hash = [];
        }

        if (hash.Length != 32)
        {
            errors.Add($"{label}__Sha256 must be the 64 hex digits of the key's SHA-256 (e.g. `printf %s \"$KEY\" | sha256sum`).");
        }

        var entry = new ApiKeyEntry
        {
            Name = name?.Trim() ?? string.Empty,
            Hash = hash,
            Namespaces = AuthOptions.ReadList(section.GetSection("Namespaces")),
            Scopes = AuthOptions.ReadList(section.GetSection("Scopes")),
        };
        errors.AddRange(AuthOptionsValidator.ValidateKey(entry, label));
        return entry;
    }
}

/// <summary>Rules that hold whatever the source of the settings (environment, file, a key file).</summary>
public sealed class AuthOptionsValidator
{
    public IEnumerable<string> Validate(AuthOptions options)
    {
        if (options.Schemes.HasFlag(AuthSchemes.ApiKey) && options.ApiKeys.Count == 0 && options.ApiKeysFile is null)
        {
            yield return "Auth__Schemes includes apiKey but no key is configured: set Auth__ApiKeys__0__Sha256 (with __Name, __Namespaces, __Scopes) or Auth__ApiKeys__File.";
        }

        if (options.ApiKeys.GroupBy(k => k.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } duplicate)
        {
            yield return $"Auth__ApiKeys: the name '{duplicate.Key}' is used by more than one key.";
        }

        if (options.Schemes.HasFlag(AuthSchemes.Jwt))
        {
            var jwt = options.Jwt;
            if ((jwt.Authority is null) == (jwt.JwksUrl is null))
            {
                yield return "Auth__Schemes includes jwt: set exactly one of Auth__Jwt__Authority (OIDC discovery) or Auth__Jwt__JwksUrl (with Auth__Jwt__Issuer).";
            }

            if (jwt.JwksUrl is not null && jwt.Issuer is null)
            {
                yield return "Auth__Jwt__JwksUrl needs Auth__Jwt__Issuer: the token's iss must be checked against something.";
            }

            foreach (var (name, value) in new[] { ("Authority", jwt.Authority), ("JwksUrl", jwt.JwksUrl) })
            {
                if (value is not null && !IsAcceptableUrl(value))
                {
                    yield return $"Auth__Jwt__{name}: '{value}' must be an https URL (http only for loopback addresses).";
                }
            }

            if (jwt.Audience is null)
            {
                yield return "Auth__Jwt__Audience is required: a token issued to another application of the same issuer must not be accepted (for Cognito: the app client id).";
            }

            if (jwt.AutomaticRefreshInterval < TimeSpan.FromMinutes(5))
            {
                yield return "Auth__Jwt__AutomaticRefreshSeconds must be at least 300.";
            }

            if (jwt.RefreshInterval < TimeSpan.FromSeconds(1))
            {
                yield return "Auth__Jwt__RefreshSeconds must be at least 1.";
            }
        }
    }

    public static IEnumerable<string> ValidateKey(ApiKeyEntry key, string label)
    {
        if (key.Namespaces.Count == 0)
        {
            yield return $"{label}__Namespaces is empty: list the namespaces the key may use, or `*` for all.";
        }

        if (key.Scopes.Count == 0)
        {
            yield return $"{label}__Scopes is empty: list some of {string.Join(", ", Scopes.All)}.";
        }

        foreach (var scope in key.Scopes.Where(s => !Scopes.All.Contains(s, StringComparer.Ordinal)))
        {
            yield return $"{label}__Scopes: '{scope}' is not a scope; use {string.Join(", ", Scopes.All)}.";
        }
    }

    /// <summary>Signing keys fetched over plain http could be swapped on the way; loopback (tests, a sidecar) is the exception.</summary>
    internal static bool IsAcceptableUrl(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback));
}

/// <summary>The scopes this service understands.</summary>
public static class Scopes
{
    public const string RecommendationsRead = "recommendations:read";
    public const string EventsWrite = "events:write";
    public const string Admin = "admin";

    public static readonly string[] All = [RecommendationsRead, EventsWrite, Admin];
}

/// <summary>Every problem with the `Auth__*` settings, one per line, for the operator.</summary>
public sealed class AuthConfigurationException(IReadOnlyList<string> errors) : Exception(string.Join(Environment.NewLine, errors))
{
    public IReadOnlyList<string> Errors { get; } = errors;
}
