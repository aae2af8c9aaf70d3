namespace Personalization.Grains.Catalog;

/// <summary>
/// An <c>s3://bucket/key</c> data path. A key ending in <c>/</c> is a prefix (the original's staging layout,
/// <c>import/{namespace}/</c>): the newest non-empty object under it is read.
/// </summary>
public sealed record S3Location(string Bucket, string Key)
{
    public const string Scheme = "s3://";

    public bool IsPrefix => Key.Length == 0 || Key.EndsWith('/');

    public static bool IsS3(string? path) => path is not null && path.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase);

    /// <summary>Parses <paramref name="path"/>; <paramref name="error"/> names the problem when it is not a usable S3 address.</summary>
    public static bool TryParse(string path, out S3Location location, out string? error)
    {
        location = null!;
        if (!IsS3(path))
        {
            error = $"'{path}' is not an s3:// address";
            return false;
        }

        var rest = path[Scheme.Length..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var bucket = slash < 0 ? rest : rest[..slash];
        var key = slash < 0 ? string.Empty : rest[(slash + 1)..];
        if (bucket.Length is < 3 or > 63 || !bucket.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '.'))
        {
            error = $"'{path}': the bucket name must be 3 to 63 characters of lower-case letters, digits, '-' and '.'";
            return false;
        }

        if (key.Length > 1024)
        {
            error = $"'{path}': an S3 key is at most 1024 characters";
            return false;
        }

        location = new S3Location(bucket, key);
        error = null;
        return true;
    }

    /// <summary>The original's staging layout: <c>s3://{bucket}/import/{namespace}/</c>.</summary>
    public static S3Location Staging(string bucket, string ns) => new(bucket, $"import/{ns}/");

    public override string ToString() => Scheme + Bucket + "/" + Key;
}
