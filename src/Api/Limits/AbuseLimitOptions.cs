using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Personalization.Api.Limits;

/// <summary>One token bucket: a steady rate and the burst a client may spend at once.</summary>
public sealed record RateLimit(int PermitsPerSecond, int Burst);

/// <summary>
/// Rate limits (`RateLimits:{Recommendations|Events|Admin|Anonymous}:PermitsPerSecond|Burst`), CORS (`Cors:*`) and
/// request limits (`Limits:*`). A rate-limit section left out means no limit for that class of traffic.
/// </summary>
public sealed class AbuseLimitOptions
{
    public const string Recommendations = "Recommendations";
    public const string Events = "Events";
    public const string Admin = "Admin";
    public const string Anonymous = "Anonymous";

    public IReadOnlyDictionary<string, RateLimit> RateLimits { get; init; } = new Dictionary<string, RateLimit>();

    public IReadOnlyList<string> CorsOrigins { get; init; } = [];

    public IReadOnlyList<string> CorsMethods { get; init; } = ["GET", "POST"];

    public IReadOnlyList<string> CorsHeaders { get; init; } = ["Content-Type", "Authorization", "X-Api-Key", "If-None-Match"];

    public TimeSpan CorsMaxAge { get; init; } = TimeSpan.FromSeconds(600);

    public long MaxRequestBodyBytes { get; init; } = 1024 * 1024;

    public int MaxRequestLineBytes { get; init; } = 8 * 1024;

    public int MaxRequestHeadersBytes { get; init; } = 32 * 1024;

    /// <summary>Below this a request body is too slow (after a 5 s grace): the connection is closed (slowloris).</summary>
    public double MinRequestBodyBytesPerSecond { get; init; } = 240;

    public double MinResponseBytesPerSecond { get; init; } = 240;

    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public static AbuseLimitOptions Read(IConfiguration configuration)
    {
        var errors = new List<string>();
        var limits = new Dictionary<string, RateLimit>(StringComparer.Ordinal);
        foreach (var name in new[] { Recommendations, Events, Admin, Anonymous })
        {
            var section = configuration.GetSection($"RateLimits:{name}");
            if (!section.Exists())
            {
                continue;
            }

            var rate = Number(section, "PermitsPerSecond", $"RateLimits__{name}__PermitsPerSecond", 0, errors);
            var burst = Number(section, "Burst", $"RateLimits__{name}__Burst", rate, errors);
            if (rate < 1 || burst < 1)
            {
                errors.Add($"RateLimits__{name}: PermitsPerSecond and Burst must be at least 1 (leave the section out for no limit).");
                continue;
            }

            limits[name] = new RateLimit(rate, burst);
        }

        var cors = configuration.GetSection("Cors");
        var limitsSection = configuration.GetSection("Limits");
        var defaults = new AbuseLimitOptions();
        var options = new AbuseLimitOptions
        {
            RateLimits = limits,
            CorsOrigins = Auth.AuthOptions.ReadList(cors.GetSection("AllowedOrigins")),
            CorsMethods = List(cors.GetSection("AllowedMethods"), defaults.CorsMethods),
            CorsHeaders = List(cors.GetSection("AllowedHeaders"), defaults.CorsHeaders),
            CorsMaxAge = TimeSpan.FromSeconds(Number(cors, "MaxAgeSeconds", "Cors__MaxAgeSeconds", 600, errors)),
            MaxRequestBodyBytes = Number(limitsSection, "MaxRequestBodyBytes", "Limits__MaxRequestBodyBytes", (int)defaults.MaxRequestBodyBytes, errors),
            MaxRequestLineBytes = Number(limitsSection, "MaxRequestLineBytes", "Limits__MaxRequestLineBytes", defaults.MaxRequestLineBytes, errors),
            MaxRequestHeadersBytes = Number(limitsSection, "MaxRequestHeadersBytes", "Limits__MaxRequestHeadersBytes", defaults.MaxRequestHeadersBytes, errors),
            MinRequestBodyBytesPerSecond = Number(limitsSection, "MinRequestBodyBytesPerSecond", "Limits__MinRequestBodyBytesPerSecond", 240, errors),
            MinResponseBytesPerSecond = Number(limitsSection, "MinResponseBytesPerSecond", "Limits__MinResponseBytesPerSecond", 240, errors),
            RequestTimeout = TimeSpan.FromSeconds(Number(limitsSection, "RequestTimeoutSeconds", "Limits__RequestTimeoutSeconds", 30, errors)),
        };
        if (options.CorsOrigins.Any(o => o != "*" && !Uri.TryCreate(o, UriKind.Absolute, out _)))
        {
            errors.Add("Cors__AllowedOrigins: each origin is scheme://host[:port] (or `*`).");
        }

        if (options.MaxRequestBodyBytes < 1024 || options.MaxRequestLineBytes < 1024 || options.MaxRequestHeadersBytes < 4096 || options.RequestTimeout <= TimeSpan.Zero)
        {
            errors.Add("Limits__*: MaxRequestBodyBytes ≥ 1024, MaxRequestLineBytes ≥ 1024, MaxRequestHeadersBytes ≥ 4096 and RequestTimeoutSeconds > 0.");
        }

        return errors.Count == 0 ? options : throw new Auth.AuthConfigurationException(errors);
    }

    private static IReadOnlyList<string> List(IConfigurationSection section, IReadOnlyList<string> fallback)
    {
        var list = Auth.AuthOptions.ReadList(section);
        return list.Count == 0 ? fallback : list;
    }

    private static int Number(IConfigurationSection section, string key, string label, int fallback, List<string> errors)
    {
        if (section[key] is not { Length: > 0 } value)
        {
            return fallback;
        }

        if (int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) && number >= 0)
        {
            return number;
        }

        errors.Add($"{label}: '{value}' is not a whole number ≥ 0.");
        return fallback;
    }
}
