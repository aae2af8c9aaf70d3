namespace Personalization.Grains.Catalog;

/// <summary>Reads objects of S3 (or a server speaking its protocol) for <c>s3://</c> data paths.</summary>
public interface IS3ObjectReader
{
    /// <summary>The newest non-empty object under a prefix (the staging layout), or null when there is none.</summary>
    Task<S3ObjectVersion?> FindNewestAsync(S3Location prefix, CancellationToken cancellationToken);

    /// <summary>
    /// Copies the object into <paramref name="destination"/> unless its ETag is <paramref name="ifNoneMatch"/>
    /// (sent as <c>If-None-Match</c>); null when it was not modified.
    /// </summary>
    /// <exception cref="FileNotFoundException">The bucket or object does not exist.</exception>
    Task<S3ObjectVersion?> DownloadIfChangedAsync(S3Location location, string? ifNoneMatch, Stream destination, CancellationToken cancellationToken);
}

/// <summary>One object's identity: key, ETag (as S3 sends it, quoted), size and last modification.</summary>
public sealed record S3ObjectVersion(string Key, string ETag, long Length, DateTimeOffset? LastModified);
