using System.Security.Claims;

namespace Personalization.Api.Auth;

/// <summary>
/// Who is calling, in the service's own terms, whatever the scheme: a service principal (an API key, or a token that
/// carries a service scope) acting for any user of its namespaces, or a user acting for itself only.
/// </summary>
internal sealed record Caller(string Name, string? UserId, bool IsService, IReadOnlySet<string> Scopes, IReadOnlyList<string>? Namespaces, string Scheme)
{
    public const string ClaimType = "personalization:caller";
    private const string KindClaim = "personalization:kind";
    private const string NameClaim = "personalization:name";
    private const string UserClaim = "personalization:user";
    private const string ScopeClaim = "personalization:scope";
    private const string NamespaceClaim = "personalization:namespace";

    public bool AllowsNamespace(string ns) => Namespaces is null || Namespaces.Contains("*") || Namespaces.Contains(ns, StringComparer.Ordinal);

    /// <summary>The partition of rate limits and the name in logs: key name, or the user id of a user token.</summary>
    public string RateLimitKey => $"{Scheme}:{(IsService ? Name : UserId)}";

    /// <summary>The identity authentication hands on: claims for ASP.NET Core and logs, and this caller itself for <see cref="From"/>.</summary>
    public ClaimsIdentity ToIdentity()
    {
        var identity = new CallerIdentity(this, Scheme, NameClaim);
        identity.AddClaim(new Claim(KindClaim, IsService ? "service" : "user"));
        identity.AddClaim(new Claim(NameClaim, Name));
        if (UserId is not null)
        {
            identity.AddClaim(new Claim(UserClaim, UserId));
        }

        identity.AddClaims(Scopes.Select(s => new Claim(ScopeClaim, s)));
        if (Namespaces is not null)
        {
            identity.AddClaims(Namespaces.Select(n => new Claim(NamespaceClaim, n)));
        }

        return identity;
    }

    /// <summary>
    /// The caller authentication established, read by authorization, rate limiting and the events check of one request:
    /// the instance its identity carries, rebuilt from the claims only when the identity was copied on the way.
    /// </summary>
    public static Caller? From(ClaimsPrincipal principal)
    {
        ClaimsIdentity? identity = null;
        foreach (var candidate in principal.Identities)
        {
            if (candidate is CallerIdentity { Caller: var carried })
            {
                return carried;
            }

            if (identity is null && candidate.IsAuthenticated && candidate.HasClaim(c => c.Type == KindClaim))
            {
                identity = candidate;
            }
        }

        if (identity is null)
        {
            return null;
        }

        var namespaces = identity.FindAll(NamespaceClaim).Select(c => c.Value).ToArray();
        return new Caller(
            identity.FindFirst(NameClaim)?.Value ?? string.Empty,
            identity.FindFirst(UserClaim)?.Value,
            identity.FindFirst(KindClaim)?.Value == "service",
            identity.FindAll(ScopeClaim).Select(c => c.Value).ToHashSet(StringComparer.Ordinal),
            namespaces.Length == 0 ? null : namespaces,
            identity.AuthenticationType ?? string.Empty);
    }
}

/// <summary>A claims identity that keeps the <see cref="Auth.Caller"/> it was made from.</summary>
internal sealed class CallerIdentity(Caller caller, string authenticationType, string nameType) : ClaimsIdentity(authenticationType, nameType, null)
{
    public Caller Caller { get; } = caller;
}
