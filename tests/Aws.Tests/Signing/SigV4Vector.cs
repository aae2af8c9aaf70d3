using System.Text;
using System.Text.Json;
using Amazon.Runtime;
using Personalization.Aws.Signing;

namespace Personalization.Aws.Tests.Signing;

/// <summary>One published SigV4 test case, read from Signing/Vectors (copied to the test output) and turned into an HttpRequestMessage.</summary>
public sealed record SigV4Vector(
    string Name,
    string RawRequest,
    ImmutableCredentials Credentials,
    SigV4Options Options,
    string ExpectedCanonicalRequest,
    string ExpectedStringToSign,
    string ExpectedSignature)
{
    public const string AccessKey = "AKIDEXAMPLE";
    public const string SecretKey = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    public static readonly SigV4Scope Scope = new("us-east-1", "service");
    public static readonly DateTimeOffset Time = new(2015, 8, 30, 12, 36, 0, TimeSpan.Zero);

    /// <summary>Vectors an HttpClient cannot put on the wire, with the reason.</summary>
    public static readonly IReadOnlyDictionary<string, string> Unsendable = new Dictionary<string, string>
    {
        ["aws4_testsuite/get-header-value-multiline"] = "obsolete line folding: HttpClient rejects CR/LF inside a header value",
        ["aws-c-auth/get-header-value-multiline"] = "obsolete line folding: HttpClient rejects CR/LF inside a header value",
    };

    public override string ToString() => Name;

    /// <summary>The copies in Signing/Vectors (see its README.md), which the test project puts beside the test assembly.</summary>
    public static string Root
    {
        get
        {
            var root = Path.Combine(AppContext.BaseDirectory, "Signing", "Vectors");
            return Directory.Exists(root)
                ? root
                : throw new DirectoryNotFoundException("SigV4 vectors not found at " + root + " (Signing/Vectors is copied to the output by Personalization.Aws.Tests.csproj)");
        }
    }

    public static IEnumerable<SigV4Vector> All() => Classic().Concat(AwsCAuth());

    private static IEnumerable<SigV4Vector> Classic()
    {
        var root = Path.Combine(Root, "aws4_testsuite");
        const string StsToken = "AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA==";
        foreach (var request in Directory.EnumerateFiles(root, "*.req", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileNameWithoutExtension(request);
            var folder = Path.GetDirectoryName(request)!;
            var raw = File.ReadAllText(request);
            var token = HeaderValue(raw, "X-Amz-Security-Token") ?? name switch
            {
                "post-sts-header-before" or "post-sts-header-after" => StsToken,
                "get-vanilla-with-session-token" => "6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267",
                _ => null,
            };
            var authz = File.ReadAllText(Path.Combine(folder, name + ".authz"));
            yield return new SigV4Vector(
                "aws4_testsuite/" + name,
                raw,
                new ImmutableCredentials(AccessKey, SecretKey, token),
                new SigV4Options { DoubleEncodePath = false, SignSessionToken = name != "post-sts-header-after" },
                File.ReadAllText(Path.Combine(folder, name + ".creq")),
                File.ReadAllText(Path.Combine(folder, name + ".sts")),
                authz[(authz.LastIndexOf("Signature=", StringComparison.Ordinal) + "Signature=".Length)..].Trim());
        }
    }

    private static IEnumerable<SigV4Vector> AwsCAuth()
    {
        var root = Path.Combine(Root, "aws-c-auth", "v4");
        foreach (var folder in Directory.EnumerateDirectories(root).Order(StringComparer.Ordinal))
        {
            using var context = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "context.json")));
            var c = context.RootElement;
            var credentials = c.GetProperty("credentials");
            var token = credentials.TryGetProperty("token", out var t) ? t.GetString() : null;
            var omitToken = c.TryGetProperty("omit_session_token", out var omit) && omit.GetBoolean();
            yield return new SigV4Vector(
                "aws-c-auth/" + Path.GetFileName(folder),
                File.ReadAllText(Path.Combine(folder, "request.txt")),
                new ImmutableCredentials(credentials.GetProperty("access_key_id").GetString(), credentials.GetProperty("secret_access_key").GetString(), token),
                new SigV4Options
                {
                    DoubleEncodePath = false,
                    NormalizePath = c.GetProperty("normalize").GetBoolean(),
                    AddContentSha256Header = c.GetProperty("sign_body").GetBoolean(),
                    SignSessionToken = !omitToken,
                },
                File.ReadAllText(Path.Combine(folder, "header-canonical-request.txt")),
                File.ReadAllText(Path.Combine(folder, "header-string-to-sign.txt")),
                File.ReadAllText(Path.Combine(folder, "header-signature.txt")).Trim());
        }
    }

    private static string? HeaderValue(string raw, string name)
    {
        foreach (var line in raw.Split('\n').Skip(1))
        {
            if (line.Length == 0)
            {
                break;
            }

            var colon = line.IndexOf(':');
            if (colon > 0 && line[..colon].Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return line[(colon + 1)..];
            }
        }

        return null;
    }

    /// <summary>Builds the request a real client would send: the target's spaces and non-ASCII are percent-escaped.</summary>
    public HttpRequestMessage ToHttpRequest()
    {
        var text = RawRequest.Replace("\r\n", "\n", StringComparison.Ordinal);
        var headerEnd = text.IndexOf("\n\n", StringComparison.Ordinal);
        var head = headerEnd < 0 ? text : text[..headerEnd];
        var body = headerEnd < 0 ? string.Empty : text[(headerEnd + 2)..];
        var lines = head.Split('\n');
        var requestLine = lines[0];
        var method = requestLine[..requestLine.IndexOf(' ')];
        var target = requestLine[(method.Length + 1)..requestLine.LastIndexOf(" HTTP/", StringComparison.Ordinal)];

        string? host = null;
        var headers = new List<(string Name, string Value)>();
        foreach (var line in lines.Skip(1))
        {
            if (line.Length > 0 && char.IsWhiteSpace(line[0]))
            {
                throw new NotSupportedException("folded header line");
            }

            if (line.Length == 0)
            {
                continue;
            }

            var colon = line.IndexOf(':');
            var name = line[..colon];
            var value = line[(colon + 1)..];
            if (name.Equals("Host", StringComparison.OrdinalIgnoreCase))
            {
                host = value;
            }
            else
            {
                headers.Add((name, value));
            }
        }

        var uri = new Uri("http://" + host + EscapeTarget(target), new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = !Options.NormalizePath });
        var message = new HttpRequestMessage(new HttpMethod(method), uri);
        if (body.Length > 0 || headers.Exists(h => h.Name.StartsWith("Content-", StringComparison.OrdinalIgnoreCase)))
        {
            message.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
            message.Content.Headers.Clear();
        }

        foreach (var (name, value) in headers)
        {
            if (name.StartsWith("Content-", StringComparison.OrdinalIgnoreCase))
            {
                message.Content!.Headers.TryAddWithoutValidation(name, value);
            }
            else
            {
                message.Headers.TryAddWithoutValidation(name, value);
            }
        }

        return message;
    }

    public byte[] Body()
    {
        var text = RawRequest.Replace("\r\n", "\n", StringComparison.Ordinal);
        var headerEnd = text.IndexOf("\n\n", StringComparison.Ordinal);
        return headerEnd < 0 ? [] : Encoding.UTF8.GetBytes(text[(headerEnd + 2)..]);
    }

    private static string EscapeTarget(string target)
    {
        var builder = new StringBuilder(target.Length);
        Span<byte> utf8 = stackalloc byte[4];
        foreach (var rune in target.EnumerateRunes())
        {
            if (rune.Value is > 0x20 and < 0x7F)
            {
                builder.Append((char)rune.Value);
                continue;
            }

            var length = rune.EncodeToUtf8(utf8);
            foreach (var b in utf8[..length])
            {
                builder.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }
}
