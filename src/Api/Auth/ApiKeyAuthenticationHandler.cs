using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Personalization.Api.Auth;

/// <summary>`X-Api-Key`: the key's hash must match a configured key; the principal is that key's service principal.</summary>
internal sealed class ApiKeyAuthenticationHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiKeyStore keys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string HeaderName = "X-Api-Key";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(HeaderName, out var values) || values.Count == 0 || string.IsNullOrEmpty(values[0]))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        if (values.Count > 1)
        {
            return Task.FromResult(AuthenticateResult.Fail("more than one X-Api-Key header was sent."));
        }

        if (keys.Find(values[0]!) is not { } key)
        {
            return Task.FromResult(AuthenticateResult.Fail("the X-Api-Key is not a valid key."));
        }

        var caller = new Caller(key.Name, null, IsService: true, key.Scopes.ToHashSet(StringComparer.Ordinal), key.Namespaces, SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(caller.ToIdentity()), SchemeName)));
    }
}
