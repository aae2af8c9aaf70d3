namespace Personalization.Grains.Catalog;

/// <summary>
/// Where catalogs come from besides local files (configuration section <c>Catalog</c>): the per-silo cache of DynamoDB
/// item metadata and the local copies of <c>s3://</c> data files.
/// </summary>
public sealed class CatalogSourceOptions
{
    public DynamoDBItemMetadataOptions DynamoDB { get; set; } = new();

    public S3SourceOptions S3 { get; set; } = new();

    /// <summary>Throws a readable error naming the setting that cannot work.</summary>
    public void Validate()
    {
        if (DynamoDB.CacheSize < 0)
        {
            throw new ArgumentException($"Catalog:DynamoDB:CacheSize must be >= 0 (was {DynamoDB.CacheSize}).");
        }

        if (DynamoDB.CacheTtl < TimeSpan.Zero)
        {
            throw new ArgumentException($"Catalog:DynamoDB:CacheTtl must not be negative (was {DynamoDB.CacheTtl}).");
        }

        if (DynamoDB.Timeout <= TimeSpan.Zero)
        {
            throw new ArgumentException($"Catalog:DynamoDB:Timeout must be positive (was {DynamoDB.Timeout}).");
        }

        if (DynamoDB.UnprocessedRetries is < 0 or > 10)
        {
            throw new ArgumentException($"Catalog:DynamoDB:UnprocessedRetries must be between 0 and 10 (was {DynamoDB.UnprocessedRetries}).");
        }

        if (string.IsNullOrWhiteSpace(DynamoDB.TablePrefix))
        {
            throw new ArgumentException("Catalog:DynamoDB:TablePrefix must not be empty.");
        }

        if (S3.StagingBucket is { Length: > 0 } bucket && !S3Location.TryParse(S3Location.Scheme + bucket + "/", out _, out var error))
        {
            throw new ArgumentException($"Catalog:S3:StagingBucket: {error}");
        }
    }
}

public sealed class DynamoDBItemMetadataOptions
{
    /// <summary>Table name before the namespace key; the original's <c>ItemsTableNamePrefix</c>.</summary>
    public string TablePrefix { get; set; } = "PersonalizationApiItemMetadata_";

    /// <summary>Items (found or absent) kept per silo; 0 turns the cache off.</summary>
    public int CacheSize { get; set; } = 100_000;

    /// <summary>How long a read item (or its absence) is reused.</summary>
    public TimeSpan CacheTtl { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Time budget of one decoration's reads; past it the items not read yet go undecorated.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Rounds of BatchGetItem for keys DynamoDB returned unprocessed (backoff 25 ms, doubling).</summary>
    public int UnprocessedRetries { get; set; } = 3;

    public string TableName(string ns) => TablePrefix + ns;
}

public sealed class S3SourceOptions
{
    /// <summary>Folder holding the local copy of each s3:// data file and its ETag (default: the temp folder).</summary>
    public string? CacheDirectory { get; set; }

    /// <summary>
    /// The original's staging bucket: a <c>localdb</c> namespace without <c>path</c> reads the newest object under
    /// <c>s3://{bucket}/import/{namespace}/</c>.
    /// </summary>
    public string? StagingBucket { get; set; }

    public string EffectiveCacheDirectory => CacheDirectory is { Length: > 0 } configured
        ? Path.GetFullPath(configured)
        : Path.Combine(Path.GetTempPath(), "personalization-s3");
}
