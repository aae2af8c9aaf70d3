using System.Globalization;

namespace Personalization.Grains.Configuration;

/// <summary>
/// One user class's caching rule with its Cache-Control value computed once:
/// maxAge only → "max-age=N"; maxAge and directives → "{directives}, max-age=N"; directives only, or
/// directives containing no-store → the directives as given. (Directives that contain max-age are a
/// validation error, where the original silently sent no header.)
/// </summary>
public sealed class CachePolicy
{
    /// <summary>Used when no level configures caching: responses are not shared and not reused.</summary>
    public static readonly CachePolicy NoCaching = new(0, "private", null);

    /// <summary>Seconds a non-primary answer (fallback or stale) is reused when nothing else says otherwise.</summary>
    public const int DefaultFallbackMaxAge = 5;

    public CachePolicy(int? maxAge, string? directives, int? staleWhileRevalidate, int? staleIfError = null, int? fallbackMaxAge = null)
    {
        MaxAge = maxAge;
        Directives = string.IsNullOrWhiteSpace(directives) ? null : directives.Trim();
        StaleWhileRevalidate = staleWhileRevalidate;
        StaleIfError = staleIfError;
        HeaderValue = BuildHeader(MaxAge, Directives);

        // A fallback is a stand-in: it must not outlive what the primary answer itself would have been allowed.
        EffectiveFallbackMaxAge = Math.Min(fallbackMaxAge ?? DefaultFallbackMaxAge, EffectiveMaxAge);
        FallbackHeaderValue = EffectiveFallbackMaxAge > 0 ? BuildHeader(EffectiveFallbackMaxAge, Directives) : HeaderValue;
    }

    public int? MaxAge { get; }

    public string? Directives { get; }

    /// <summary>Seconds a stale entry may be served while one refresh runs (extension; null = never).</summary>
    public int? StaleWhileRevalidate { get; }

    /// <summary>Seconds past expiry an answer may still be served when the backend fails (RFC 5861 stale-if-error; null = never).</summary>
    public int? StaleIfError { get; }

    /// <summary>Seconds a fallback or stale answer is reused: the policy's fallbackMaxAge (default 5), at most the max-age.</summary>
    public int EffectiveFallbackMaxAge { get; }

    /// <summary>Cache-Control for fallback and stale answers: the directives with the short max-age.</summary>
    public string? FallbackHeaderValue { get; }

    /// <summary>The Cache-Control header value; null when neither maxAge nor directives are set.</summary>
    public string? HeaderValue { get; }

    /// <summary>Seconds a response may be reused (0 when maxAge is absent or no-store is asked for).</summary>
    public int EffectiveMaxAge => IsNoStore ? 0 : MaxAge ?? 0;

    private bool IsNoStore => Directives?.Contains("no-store", StringComparison.OrdinalIgnoreCase) == true;

    private static string? BuildHeader(int? maxAge, string? directives)
    {
        if (directives is not null && (maxAge is null || directives.Contains("no-store", StringComparison.OrdinalIgnoreCase)))
        {
            return directives;
        }

        if (maxAge is not { } age)
        {
            return null;
        }

        var maxAgePart = "max-age=" + age.ToString(CultureInfo.InvariantCulture);
        return directives is null ? maxAgePart : directives + ", " + maxAgePart;
    }
}
