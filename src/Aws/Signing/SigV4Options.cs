namespace Personalization.Aws.Signing;

/// <summary>How a request is canonicalised. The defaults are what every AWS service except S3 expects.</summary>
public sealed record SigV4Options
{
    public static SigV4Options Default { get; } = new();

    /// <summary>Remove dot segments and empty segments from the path before encoding it.</summary>
    public bool NormalizePath { get; init; } = true;

    /// <summary>
    /// Encode the already-escaped wire path once more (AWS services other than S3). When false the path is
    /// unescaped first and encoded once, which is what the published test vectors describe.
    /// </summary>
    public bool DoubleEncodePath { get; init; } = true;

    /// <summary>Add and sign x-amz-content-sha256 (S3-style services; not the JSON services).</summary>
    public bool AddContentSha256Header { get; init; }

    /// <summary>Sign X-Amz-Security-Token; when false it is added after signing.</summary>
    public bool SignSessionToken { get; init; } = true;
}
