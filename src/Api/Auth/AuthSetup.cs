using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;
using Personalization.Api.Errors;

namespace Personalization.Api.Auth;

/// <summary>Registers the schemes of <see cref="AuthOptions"/> on ASP.NET Core's authentication and authorization.</summary>
public static class AuthSetup
{
    /// <summary>The default scheme: forwards to API key or JWT by the header the request carries.</summary>
    public const string CredentialsScheme = "Credentials";

    internal const string TokenFailurePrefix = "the bearer token ";

    private static readonly string[] ServiceScopes = Scopes.All;

    public static IServiceCollection AddPersonalizationAuth(this IServiceCollection services, AuthOptions options)
    {
        services.AddSingleton(options);
        services.AddAuthorization(authorization => AccessPolicies.AddPolicies(authorization, options.Enabled));
        services.AddSingleton<IAuthorizationHandler, AccessHandler>();
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, AuthResponses>();
        var authentication = services.AddAuthentication(o =>
        {
            if (options.Enabled)
            {
                o.DefaultScheme = CredentialsScheme;
            }
        });
        if (!options.Enabled)
        {
            return services;
        }

        authentication.AddPolicyScheme(CredentialsScheme, "X-Api-Key or bearer JWT", o => o.ForwardDefaultSelector = context => SelectScheme(context, options.Schemes));
        if (options.Schemes.HasFlag(AuthSchemes.ApiKey))
        {
            services.TryAddSingleton<ApiKeyStore>();
            authentication.AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        }

        if (options.Schemes.HasFlag(AuthSchemes.Jwt))
        {
            authentication.AddJwtBearer();
            services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
                .Configure<TimeProvider>((jwt, time) => ConfigureJwt(jwt, options.Jwt, time));
        }

        return services;
    }

    private static string SelectScheme(HttpContext context, AuthSchemes schemes)
    {
        if (schemes.HasFlag(AuthSchemes.ApiKey) && context.Request.Headers.ContainsKey(ApiKeyAuthenticationHandler.HeaderName))
        {
            return ApiKeyAuthenticationHandler.SchemeName;
        }

        return schemes.HasFlag(AuthSchemes.Jwt) ? JwtBearerDefaults.AuthenticationScheme : ApiKeyAuthenticationHandler.SchemeName;
    }

    private static void ConfigureJwt(JwtBearerOptions jwt, JwtSettings settings, TimeProvider time)
    {
        jwt.MapInboundClaims = false;
        jwt.RefreshOnIssuerKeyNotFound = true;
        jwt.AutomaticRefreshInterval = settings.AutomaticRefreshInterval;
        jwt.RefreshInterval = settings.RefreshInterval;
        if (settings.Authority is { } authority)
        {
            jwt.Authority = authority;
            jwt.RequireHttpsMetadata = new Uri(authority).Scheme == Uri.UriSchemeHttps || !new Uri(authority).IsLoopback;
        }
        else
        {
            var jwks = new Uri(settings.JwksUrl!);
            jwt.ConfigurationManager = new ConfigurationManager<OpenIdConnectConfiguration>(
                settings.JwksUrl!,
                new JwksRetriever(settings.Issuer!),
                new HttpDocumentRetriever(new HttpClient { Timeout = TimeSpan.FromSeconds(10) }) { RequireHttps = !jwks.IsLoopback })
            {
                AutomaticRefreshInterval = settings.AutomaticRefreshInterval,
                RefreshInterval = settings.RefreshInterval,
            };
        }

        var audience = settings.Audience!;
        jwt.TokenValidationParameters = new TokenValidationParameters
        {
            ValidateIssuer = true,
            ValidIssuer = settings.Issuer,
            ValidateAudience = true,
            ValidAudience = audience,
            // Cognito access tokens carry no aud; the app client is in client_id.
            AudienceValidator = (audiences, token, _) => audiences.Contains(audience, StringComparer.Ordinal)
                || (token is JsonWebToken json && json.TryGetPayloadValue<string>("client_id", out var clientId) && clientId == audience),
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256, SecurityAlgorithms.EcdsaSha256],
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            ValidateLifetime = true,
            ClockSkew = settings.ClockSkew,
            LifetimeValidator = (notBefore, expires, _, parameters) => ValidateLifetime(notBefore, expires, parameters.ClockSkew, time),
            ValidateIssuerSigningKey = true,
            NameClaimType = settings.UserIdClaim,
        };
        jwt.Events = new JwtBearerEvents
        {
            OnTokenValidated = context =>
            {
                var caller = CallerOf(context.Principal!, settings);
                if (caller is null)
                {
                    context.Fail($"{TokenFailurePrefix}has neither a service scope nor a '{settings.UserIdClaim}' claim.");
                    return Task.CompletedTask;
                }

                context.Principal = new ClaimsPrincipal(caller.ToIdentity());
                return Task.CompletedTask;
            },
            OnAuthenticationFailed = async context =>
            {
                // An unknown kid with no keys at all means the issuer has been unreachable since start-up: the token may
                // well be good, so that is a 503 to retry, not a 401 to re-authenticate.
                if (context.Exception is not SecurityTokenSignatureKeyNotFoundException && context.Exception is SecurityTokenException or ArgumentException or JsonException
                    || context.Exception is SecurityTokenSignatureKeyNotFoundException && await HasKeysAsync(context.Options, context.HttpContext.RequestAborted))
                {
                    context.Fail(TokenFailurePrefix + Describe(context.Exception));
                    return;
                }

                throw new ApiException(StatusCodes.Status503ServiceUnavailable,
                    new ApiError(ErrorTypes.Backend, "SigningKeysUnavailable", "the token issuer's signing keys cannot be fetched right now; retry later."),
                    TimeSpan.FromSeconds(5));
            },
        };
    }

    private static async Task<bool> HasKeysAsync(JwtBearerOptions options, CancellationToken cancellationToken)
    {
        try
        {
            // Served from the cache once the keys were fetched; only while none were does this go to the issuer.
            return options.ConfigurationManager is null || (await options.ConfigurationManager.GetConfigurationAsync(cancellationToken)).SigningKeys.Count > 0;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>On the host's clock (TimeProvider) rather than IdentityModel's DateTime.UtcNow.</summary>
    private static bool ValidateLifetime(DateTime? notBefore, DateTime? expires, TimeSpan skew, TimeProvider time)
    {
        var now = time.GetUtcNow().UtcDateTime;
        if (expires is null)
        {
            throw new SecurityTokenNoExpirationException("the token has no exp claim.");
        }

        if (notBefore is { } nbf && nbf > now + skew)
        {
            throw new SecurityTokenNotYetValidException("the token is not valid yet.") { NotBefore = nbf };
        }

        if (expires.Value < now - skew)
        {
            throw new SecurityTokenExpiredException("the token has expired.") { Expires = expires.Value };
        }

        return true;
    }

    private static string Describe(Exception exception) => exception switch
    {
        SecurityTokenExpiredException => "has expired.",
        SecurityTokenNotYetValidException => "is not valid yet (nbf is in the future).",
        SecurityTokenNoExpirationException => "has no exp claim.",
        SecurityTokenInvalidIssuerException => "was issued by an issuer this service does not trust.",
        SecurityTokenInvalidAudienceException => "was not issued for this API (aud or client_id).",
        SecurityTokenInvalidAlgorithmException => "is not signed with RS256 or ES256.",
        SecurityTokenSignatureKeyNotFoundException => "is signed with a key (kid) the issuer does not publish.",
        SecurityTokenInvalidSignatureException => "has an invalid or missing signature (only RS256 and ES256 are accepted).",
        SecurityTokenMalformedException or ArgumentException or JsonException => "is not a well-formed JWT.",
        _ => "is not valid.",
    };

    /// <summary>A token with a service scope is a service principal; any other is its user's.</summary>
    private static Caller? CallerOf(ClaimsPrincipal principal, JwtSettings settings)
    {
        var scopes = ScopesOf(principal, settings.ScopeClaim).ToHashSet(StringComparer.Ordinal);
        var userId = principal.FindFirst(settings.UserIdClaim)?.Value;
        var isService = scopes.Overlaps(ServiceScopes);
        if (!isService && string.IsNullOrEmpty(userId))
        {
            return null;
        }

        var name = isService ? principal.FindFirst("client_id")?.Value ?? principal.FindFirst("azp")?.Value ?? userId ?? "token" : userId!;
        return new Caller(name, userId, isService, scopes, null, JwtBearerDefaults.AuthenticationScheme);
    }

    /// <summary>
    /// `scope` is one space-separated string (RFC 8693; Cognito), `scp` a string or array (Entra ID). Cognito's custom
    /// scopes are `resource-server/scope`: the part after the last slash is what is matched.
    /// </summary>
    private static IEnumerable<string> ScopesOf(ClaimsPrincipal principal, string? claim)
    {
        var claims = claim is null ? principal.FindAll(c => c.Type is "scope" or "scp") : principal.FindAll(claim);
        foreach (var value in claims.SelectMany(c => c.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries)))
        {
            var slash = value.LastIndexOf('/');
            yield return slash >= 0 ? value[(slash + 1)..] : value;
        }
    }
}
