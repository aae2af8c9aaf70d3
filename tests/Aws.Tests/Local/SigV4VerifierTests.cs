using Amazon.Runtime;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Personalization.Aws.Signing;
using Personalization.LocalAws;
using Personalization.LocalAws.Signing;
using Xunit;

namespace Personalization.Aws.Tests.Local;

/// <summary>The client signer and the local server's verifier canonicalise any request the same way.</summary>
public sealed class SigV4VerifierTests
{
    private static readonly SigV4Verifier Verifier = new(new Dictionary<string, string> { [LocalAwsOptions.TestAccessKeyId] = LocalAwsOptions.TestSecretAccessKey });

    [Fact]
    public void Any_signed_request_verifies_and_a_changed_secret_does_not()
    {
        var text = Gen.Elements("a", "Z", " ", "  ", "é", "ሴ", "/", "+", "=", "&", "%", "~", "*", ":", "?", "#").ListOf().Select(parts => string.Concat(parts));
        var cases = Gen.Zip(text.Where(s => !s.Contains('/') && !s.Contains('?') && !s.Contains('#')), Gen.Zip(text, text));
        Prop.ForAll(cases.ToArbitrary(), input =>
        {
            var (segment, (queryValue, headerValue)) = input;
            var uri = new Uri("http://127.0.0.1:4566/base/" + Uri.EscapeDataString(segment) + "?k=" + Uri.EscapeDataString(queryValue) + "&b=" + Uri.EscapeDataString(queryValue));
            var body = System.Text.Encoding.UTF8.GetBytes("{\"v\":\"" + headerValue + "\"}");
            var header = headerValue.Trim().Length == 0 ? "x" : headerValue;
            var good = Verify(uri, header, body, LocalAwsOptions.TestSecretAccessKey);
            var bad = Verify(uri, header, body, "wrong-secret");
            return good is null && bad?.Code == "InvalidSignatureException";
        }).QuickCheckThrowOnFailure();
    }

    private static (string Code, string Message)? Verify(Uri uri, string headerValue, byte[] body, string secret)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new ByteArrayContent(body) };
        message.Content.Headers.TryAddWithoutValidation("Content-Type", "application/json");
        message.Headers.TryAddWithoutValidation("X-Custom", headerValue);
        SigV4Signer.Sign(message, body, new ImmutableCredentials(LocalAwsOptions.TestAccessKeyId, secret, "token"), new SigV4Scope("us-east-1", "personalize"), new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

        // What Kestrel hands the server for what HttpClient puts on the wire.
        var context = new DefaultHttpContext();
        context.Request.Method = "POST";
        context.Features.Get<IHttpRequestFeature>()!.RawTarget = uri.PathAndQuery;
        context.Request.Headers.Host = uri.Authority;
        foreach (var (name, values) in message.Headers.NonValidated.Concat(message.Content.Headers.NonValidated))
        {
            context.Request.Headers[name] = values.ToString();
        }

        return Verifier.Verify(context.Request, body, out _);
    }
}
