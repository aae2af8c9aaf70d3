using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Amazon.Runtime;

namespace Personalization.Aws.Signing;

/// <summary>AWS Signature Version 4 for request headers (the Authorization header form).</summary>
public static class SigV4Signer
{
    public const string Algorithm = "AWS4-HMAC-SHA256";
    public const string AmzDateHeader = "X-Amz-Date";
    public const string SecurityTokenHeader = "X-Amz-Security-Token";
    public const string ContentSha256Header = "X-Amz-Content-Sha256";
    public const string EmptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    // Hop-by-hop or client-added headers that proxies and handlers may change after signing.
    private static readonly HashSet<string> UnsignedHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "authorization", "user-agent", "expect", "connection", "keep-alive", "transfer-encoding", "te", "upgrade",
        "proxy-authorization", "x-amzn-trace-id",
    };

    private static readonly ConcurrentDictionary<(string Secret, string Date, string Region, string Service), byte[]> SigningKeys = new();

    /// <summary>Adds X-Amz-Date, the session token and Authorization to <paramref name="request"/>.</summary>
    public static SigV4Result Sign(HttpRequestMessage request, ReadOnlySpan<byte> payload, ImmutableCredentials credentials, SigV4Scope scope, DateTimeOffset now, SigV4Options? options = null)
    {
        options ??= SigV4Options.Default;
        var amzDate = now.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        request.Headers.Remove(AmzDateHeader);
        request.Headers.TryAddWithoutValidation(AmzDateHeader, amzDate);
        var hasToken = !string.IsNullOrEmpty(credentials.Token);
        request.Headers.Remove(SecurityTokenHeader);
        if (hasToken && options.SignSessionToken)
        {
            request.Headers.TryAddWithoutValidation(SecurityTokenHeader, credentials.Token);
        }

        var payloadHash = HashHex(payload);
        if (options.AddContentSha256Header)
        {
            request.Headers.Remove(ContentSha256Header);
            request.Headers.TryAddWithoutValidation(ContentSha256Header, payloadHash);
        }

        var headers = CollectHeaders(request);
        var uri = request.RequestUri ?? throw new ArgumentException("The request has no URI.", nameof(request));
        var query = uri.Query.Length > 0 ? uri.Query[1..] : string.Empty;
        var result = Compute(request.Method.Method, uri.AbsolutePath, query, headers, payloadHash, credentials, scope, amzDate, options);
        request.Headers.Remove("Authorization");
        request.Headers.TryAddWithoutValidation("Authorization", result.Authorization);
        if (hasToken && !options.SignSessionToken)
        {
            request.Headers.TryAddWithoutValidation(SecurityTokenHeader, credentials.Token);
        }

        return result;
    }

    /// <summary>Signs already-canonical parts; <paramref name="headers"/> must be sorted with lower-case names.</summary>
    public static SigV4Result Compute(string method, string escapedPath, string rawQuery, IReadOnlyList<KeyValuePair<string, string>> headers, string payloadHash, ImmutableCredentials credentials, SigV4Scope scope, string amzDate, SigV4Options options)
    {
        var canonicalRequest = CanonicalRequest.Build(method, escapedPath, rawQuery, headers, payloadHash, options);
        var date = amzDate[..8];
        var builder = CanonicalRequest.RentBuilder();
        builder.Append(Algorithm).Append('\n').Append(amzDate).Append('\n')
            .Append(date).Append('/').Append(scope.Region).Append('/').Append(scope.Service).Append("/aws4_request\n")
            .Append(HashHex(canonicalRequest));
        var stringToSign = CanonicalRequest.ReturnBuilder(builder);

        var key = SigningKey(credentials.SecretKey, date, scope.Region, scope.Service);
        Span<byte> signature = stackalloc byte[32];
        HmacUtf8(key, stringToSign, signature);
        var signatureHex = Convert.ToHexStringLower(signature);
        var signedHeaders = CanonicalRequest.SignedHeaders(headers);
        var authorization = string.Concat(
            Algorithm, " Credential=", credentials.AccessKey, "/", date, "/", scope.Region, "/", scope.Service,
            "/aws4_request, SignedHeaders=", signedHeaders, ", Signature=", signatureHex);
        return new SigV4Result(canonicalRequest, stringToSign, signatureHex, signedHeaders, authorization);
    }

    public static string HashHex(ReadOnlySpan<byte> payload)
    {
        if (payload.IsEmpty)
        {
            return EmptyPayloadHash;
        }

        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(payload, hash);
        return Convert.ToHexStringLower(hash);
    }

    private static string HashHex(string text)
    {
        var length = Encoding.UTF8.GetByteCount(text);
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(length);
        try
        {
            var written = Encoding.UTF8.GetBytes(text, buffer);
            return HashHex(buffer.AsSpan(0, written));
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static List<KeyValuePair<string, string>> CollectHeaders(HttpRequestMessage request)
    {
        var headers = new List<KeyValuePair<string, string>>(8);
        var host = request.Headers.Host ?? (request.RequestUri!.IsDefaultPort ? request.RequestUri.IdnHost : request.RequestUri.Authority);
        headers.Add(new("host", host));
        Add(headers, request.Headers.NonValidated);
        if (request.Content is not null)
        {
            Add(headers, request.Content.Headers.NonValidated);
        }

        headers.Sort(static (a, b) => string.CompareOrdinal(a.Key, b.Key));
        return headers;

        static void Add(List<KeyValuePair<string, string>> target, HttpHeadersNonValidated source)
        {
            foreach (var (name, values) in source)
            {
                if (UnsignedHeaders.Contains(name) || name.Equals("host", StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                string value;
                if (values.Count == 1)
                {
                    value = CanonicalRequest.CanonicalHeaderValue(values.ToString());
                }
                else
                {
                    var joined = new StringBuilder();
                    foreach (var single in values)
                    {
                        if (joined.Length > 0)
                        {
                            joined.Append(',');
                        }

                        joined.Append(CanonicalRequest.CanonicalHeaderValue(single));
                    }

                    value = joined.ToString();
                }

                target.Add(new(name.ToLowerInvariant(), value));
            }
        }
    }

    private static byte[] SigningKey(string secret, string date, string region, string service)
    {
        var cacheKey = (secret, date, region, service);
        if (SigningKeys.TryGetValue(cacheKey, out var cached))
        {
            return cached;
        }

        if (SigningKeys.Count > 64)
        {
            SigningKeys.Clear();
        }

        var key = new byte[32];
        HmacUtf8(Encoding.UTF8.GetBytes("AWS4" + secret), date, key);
        HmacUtf8(key, region, key);
        HmacUtf8(key, service, key);
        HmacUtf8(key, "aws4_request", key);
        SigningKeys[cacheKey] = key;
        return key;
    }

    private static void HmacUtf8(ReadOnlySpan<byte> key, string data, Span<byte> destination)
    {
        var length = Encoding.UTF8.GetByteCount(data);
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(length);
        try
        {
            var written = Encoding.UTF8.GetBytes(data, buffer);
            Span<byte> keyCopy = stackalloc byte[key.Length <= 256 ? key.Length : 0];
            if (key.Length <= 256)
            {
                // The destination may alias the key when deriving the signing key in place.
                key.CopyTo(keyCopy);
                HMACSHA256.HashData(keyCopy, buffer.AsSpan(0, written), destination);
            }
            else
            {
                HMACSHA256.HashData(key.ToArray(), buffer.AsSpan(0, written), destination);
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
