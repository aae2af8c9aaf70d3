using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace Personalization.Api.Auth;

/// <summary>
/// Reads a bare JWKS document (`Auth:Jwt:JwksUrl`) as an OpenID configuration carrying only keys and the configured
/// issuer, so IdentityModel's <see cref="ConfigurationManager{T}"/> caches and refreshes it exactly as it does discovery:
/// one fetch at a time, refresh on an unknown kid at most once per refresh interval, last good keys kept on failure.
/// </summary>
internal sealed class JwksRetriever(string issuer) : IConfigurationRetriever<OpenIdConnectConfiguration>
{
    public async Task<OpenIdConnectConfiguration> GetConfigurationAsync(string address, IDocumentRetriever retriever, CancellationToken cancel)
    {
        var document = await retriever.GetDocumentAsync(address, cancel);
        var keys = new JsonWebKeySet(document);
        var configuration = new OpenIdConnectConfiguration { Issuer = issuer, JsonWebKeySet = keys, JwksUri = address };
        foreach (var key in keys.GetSigningKeys())
        {
            configuration.SigningKeys.Add(key);
        }

        return configuration;
    }
}
