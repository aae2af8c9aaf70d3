using Amazon.Runtime;
using Microsoft.AspNetCore.Http.Features;
using Personalization.Aws.Signing;

namespace Personalization.LocalAws.Signing;

/// <summary>Recomputes the SigV4 signature of an incoming request from its wire form, as AWS does.</summary>
public sealed class SigV4Verifier(IReadOnlyDictionary<string, string> credentials)
{
    /// <summary>Returns null when valid, else the AWS error code and message to answer with.</summary>
    public (string Code, string Message)? Verify(HttpRequest request, ReadOnlySpan<byte> body, out string? signingService)
    {
        signingService = null;
        var authorization = request.Headers.Authorization.ToString();
        if (string.IsNullOrEmpty(authorization))
        {
            return ("MissingAuthenticationTokenException", "Missing Authentication Token");
        }

        if (!TryParse(authorization, out var accessKey, out var date, out var region, out var service, out var signedHeaders, out var signature))
        {
            return ("IncompleteSignatureException", "Authorization header requires Credential, SignedHeaders and Signature in the AWS4-HMAC-SHA256 form.");
        }

        signingService = service;
        if (!credentials.TryGetValue(accessKey, out var secret))
        {
            return ("UnrecognizedClientException", "The security token included in the request is invalid.");
        }

        var amzDate = request.Headers["X-Amz-Date"].ToString();
        if (amzDate.Length != 16 || !amzDate.StartsWith(date, StringComparison.Ordinal))
        {
            return ("IncompleteSignatureException", "X-Amz-Date is missing or does not match the credential scope date.");
        }

        var names = signedHeaders.Split(';');
        if (!names.Contains("host") || !names.Contains("x-amz-date"))
        {
            return ("IncompleteSignatureException", "The host and x-amz-date headers must be signed.");
        }

        var headers = new List<KeyValuePair<string, string>>(names.Length);
        foreach (var name in names)
        {
            var values = request.Headers[name];
            var canonical = values.Count == 1
                ? CanonicalRequest.CanonicalHeaderValue(values.ToString())
                : string.Join(',', values.Select(v => CanonicalRequest.CanonicalHeaderValue(v ?? string.Empty)));
            headers.Add(new(name, canonical));
        }

        var target = request.HttpContext.Features.Get<IHttpRequestFeature>()?.RawTarget ?? (request.Path + request.QueryString).ToString();
        var question = target.IndexOf('?');
        var path = question < 0 ? target : target[..question];
        var query = question < 0 ? string.Empty : target[(question + 1)..];
        var expected = SigV4Signer.Compute(
            request.Method, path, query, headers, SigV4Signer.HashHex(body), new ImmutableCredentials(accessKey, secret, null),
            new SigV4Scope(region, service), amzDate, SigV4Options.Default);
        if (!System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(
                System.Text.Encoding.ASCII.GetBytes(expected.Signature), System.Text.Encoding.ASCII.GetBytes(signature)))
        {
            return ("InvalidSignatureException",
                "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.\n\nThe Canonical String for this request should have been\n'"
                + expected.CanonicalRequest + "'\n\nThe String-to-Sign should have been\n'" + expected.StringToSign + "'\n");
        }

        return null;
    }

    private static bool TryParse(string authorization, out string accessKey, out string date, out string region, out string service, out string signedHeaders, out string signature)
    {
        accessKey = date = region = service = signedHeaders = signature = string.Empty;
        if (!authorization.StartsWith(SigV4Signer.Algorithm + " ", StringComparison.Ordinal))
        {
            return false;
        }

        string? credential = null;
        foreach (var part in authorization[(SigV4Signer.Algorithm.Length + 1)..].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = part.IndexOf('=');
            if (equals < 0)
            {
                return false;
            }

            var value = part[(equals + 1)..];
            switch (part[..equals])
            {
                case "Credential": credential = value; break;
                case "SignedHeaders": signedHeaders = value; break;
                case "Signature": signature = value; break;
            }
        }

        var scope = credential?.Split('/');
        if (scope is not { Length: 5 } || scope[4] != "aws4_request" || signedHeaders.Length == 0 || signature.Length == 0)
        {
            return false;
        }

        (accessKey, date, region, service) = (scope[0], scope[1], scope[2], scope[3]);
        return true;
    }
}
