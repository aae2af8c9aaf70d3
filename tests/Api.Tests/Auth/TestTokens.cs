using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Personalization.Api.Tests.Auth;

/// <summary>Tokens as an issuer would sign them, and the forgeries a client might try.</summary>
public sealed class TestTokens(JwksServer issuer, TimeProvider time)
{
    public const string Audience = "personalization-client";

    public string User(string userId, SecurityKey? key = null, string? audience = Audience, string? issuerName = null, TimeSpan? lifetime = null, TimeSpan? startsIn = null, string? scope = null, bool cognitoAccessToken = false)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var notBefore = now + (startsIn ?? TimeSpan.Zero) - TimeSpan.FromSeconds(1);
        var claims = new Dictionary<string, object> { ["sub"] = userId };
        if (scope is not null)
        {
            claims["scope"] = scope;
        }

        if (cognitoAccessToken)
        {
            claims["client_id"] = audience!;
            claims["token_use"] = "access";
        }

        key ??= issuer.Rsa;
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = issuerName ?? issuer.Issuer,
            Audience = cognitoAccessToken ? null : audience,
            IssuedAt = notBefore,
            NotBefore = notBefore,
            Expires = notBefore + (lifetime ?? TimeSpan.FromMinutes(10)),
            Claims = claims,
            SigningCredentials = new SigningCredentials(key, key is ECDsaSecurityKey ? SecurityAlgorithms.EcdsaSha256 : SecurityAlgorithms.RsaSha256),
        };
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(descriptor);
    }

    /// <summary>A client-credentials token: a service principal with <paramref name="scope"/> (Cognito writes `server/scope`).</summary>
    public string Service(string scope, string clientId = Audience) => User("svc-" + clientId, scope: scope, audience: clientId, cognitoAccessToken: true);

    /// <summary>`alg: none`, no signature.</summary>
    public string Unsigned(string userId) => Encode(new { alg = "none", typ = "JWT" }, Payload(userId)) + ".";

    /// <summary>HS256 with the RSA public key's bytes as the HMAC secret (the classic algorithm-confusion attack).</summary>
    public string HmacWithPublicKey(string userId)
    {
        var publicKey = issuer.Rsa.Rsa.ExportSubjectPublicKeyInfo();
        var unsigned = Encode(new { alg = "HS256", typ = "JWT", kid = issuer.Rsa.KeyId }, Payload(userId));
        var signature = System.Security.Cryptography.HMACSHA256.HashData(publicKey, Encoding.ASCII.GetBytes(unsigned));
        return unsigned + "." + Base64UrlEncoder.Encode(signature);
    }

    private object Payload(string userId)
    {
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        return new { sub = userId, iss = issuer.Issuer, aud = Audience, nbf = now - 1, iat = now - 1, exp = now + 600 };
    }

    private static string Encode(object header, object payload) =>
        Base64UrlEncoder.Encode(JsonSerializer.Serialize(header)) + "." + Base64UrlEncoder.Encode(JsonSerializer.Serialize(payload));
}
