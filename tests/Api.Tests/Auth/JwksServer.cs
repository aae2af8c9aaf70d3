using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Tokens;

namespace Personalization.Api.Tests.Auth;

/// <summary>
/// A token issuer on a loopback port: an RSA and an ECDSA key published as a JWKS (and an OpenID discovery document),
/// which a test can take down, rotate, and count fetches of. Never the internet.
/// </summary>
public sealed class JwksServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly List<SecurityKey> _published = [];
    private int _fetches;

    private JwksServer(WebApplication app, string address)
    {
        _app = app;
        Address = address;
        Rsa = NewRsa("rsa-1");
        Ecdsa = NewEcdsa("ec-1");
        _published.AddRange([Rsa, Ecdsa]);
    }

    public string Address { get; }

    public string Issuer => Address;

    public string JwksUrl => Address + "/.well-known/jwks.json";

    public RsaSecurityKey Rsa { get; }

    public ECDsaSecurityKey Ecdsa { get; }

    /// <summary>While false the server answers 503 to everything.</summary>
    public bool Up { get; set; } = true;

    public int Fetches => Volatile.Read(ref _fetches);

    public static RsaSecurityKey NewRsa(string kid) => new(RSA.Create(2048)) { KeyId = kid };

    public static ECDsaSecurityKey NewEcdsa(string kid) => new(ECDsa.Create(ECCurve.NamedCurves.nistP256)) { KeyId = kid };

    /// <summary>Adds a key to the published set (a rotation at the issuer).</summary>
    public void Publish(SecurityKey key)
    {
        lock (_published)
        {
            _published.Add(key);
        }
    }

    public static async Task<JwksServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        JwksServer? server = null;
        app.MapGet("/.well-known/jwks.json", (HttpContext context) => server!.ServeJwks(context));
        app.MapGet("/.well-known/openid-configuration", (HttpContext context) => server!.ServeDiscovery(context));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server = new JwksServer(app, address);
        return server;
    }

    private IResult ServeJwks(HttpContext context)
    {
        Interlocked.Increment(ref _fetches);
        if (!Up)
        {
            return Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
        }

        JsonWebKey[] keys;
        lock (_published)
        {
            keys = _published.Select(Public).ToArray();
        }

        var document = new { keys = keys.Select(k => k.Kty == "RSA"
            ? (object)new { kty = k.Kty, kid = k.Kid, use = "sig", alg = "RS256", n = k.N, e = k.E }
            : new { kty = k.Kty, kid = k.Kid, use = "sig", alg = "ES256", crv = k.Crv, x = k.X, y = k.Y }) };
        return Results.Text(JsonSerializer.Serialize(document), "application/json");
    }

    private IResult ServeDiscovery(HttpContext context) =>
        !Up
            ? Results.StatusCode(StatusCodes.Status503ServiceUnavailable)
            : Results.Text(JsonSerializer.Serialize(new Dictionary<string, object> { ["issuer"] = Issuer, ["jwks_uri"] = JwksUrl }), "application/json");

    private static JsonWebKey Public(SecurityKey key) => key switch
    {
        RsaSecurityKey rsa => JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(rsa.Rsa.ExportParameters(false)) { KeyId = rsa.KeyId }),
        ECDsaSecurityKey ec => JsonWebKeyConverter.ConvertFromECDsaSecurityKey(new ECDsaSecurityKey(ECDsa.Create(ec.ECDsa.ExportParameters(false))) { KeyId = ec.KeyId }),
        _ => throw new NotSupportedException(key.GetType().Name),
    };

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
