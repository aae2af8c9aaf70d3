using System.IO.Compression;
using System.Net;
using System.Text;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.Logging.Abstractions;
using Personalization.Grains.Catalog;
using S3Location = Personalization.Grains.Catalog.S3Location;

namespace Personalization.Catalog.Aws.Tests;

/// <summary><c>s3://</c> data paths against s3rver: conditional polling on the ETag, swap only after a complete valid read, the staging layout.</summary>
[Collection(LocalServersCollection.Name)]
public sealed class S3SourceTests(LocalServers servers) : IAsyncLifetime
{
    private readonly string _bucket = LocalServers.NewName("catalogs").ToLowerInvariant();
    private readonly string _cache = Path.Combine(Path.GetTempPath(), $"s3-cache-{Guid.NewGuid():N}");
    private readonly FaultInjector _observer = new();
    private AmazonS3Client _client = null!;

    public async Task InitializeAsync()
    {
        _client = servers.S3Client(_observer);
        await _client.PutBucketAsync(_bucket);
    }

    public Task DisposeAsync()
    {
        _client.Dispose();
        if (Directory.Exists(_cache))
        {
            Directory.Delete(_cache, recursive: true);
        }

        return Task.CompletedTask;
    }

    private S3DataMirror Mirror(IAmazonS3? client = null) => new(
        Microsoft.Extensions.Options.Options.Create(new CatalogSourceOptions { S3 = new S3SourceOptions { CacheDirectory = _cache } }),
        NullLogger<S3DataMirror>.Instance,
        new S3ObjectReader(client ?? _client));

    // s3rver stores aws-chunked bodies with their chunk signatures: upload in one plain body.
    private Task PutAsync(string key, byte[] body) =>
        _client.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = key, InputStream = new MemoryStream(body), UseChunkEncoding = false });

    private static byte[] Lines(params string[] lines) => Encoding.UTF8.GetBytes(string.Join('\n', lines) + "\n");

    private static byte[] Gzip(byte[] content)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest))
        {
            gzip.Write(content);
        }

        return buffer.ToArray();
    }

    /// <summary>What the silo checks before a swap: the catalog parses to at least one item.</summary>
    private static async Task<string?> ValidCatalog(string file, CancellationToken cancellationToken)
    {
        var result = await CatalogReader.LoadAsync(file, cancellationToken);
        return result.Catalog.Count > 0 ? null : $"no valid item ({result.Errors.Count} bad lines)";
    }

    private int NotModifiedAnswers => _observer.Statuses.Count(s => s == HttpStatusCode.NotModified);

    [Fact]
    public async Task Polls_with_if_none_match_and_swaps_only_a_changed_object()
    {
        await PutAsync("catalog/items.jsonl.gz", Gzip(Lines("""{"id":"a","name":"A"}""", """{"id":"b","name":"B"}""")));
        var location = new S3Location(_bucket, "catalog/items.jsonl.gz");
        var mirror = Mirror();

        var local = await mirror.SyncAsync(location, ValidCatalog, CancellationToken.None);
        Assert.Equal(2, (await CatalogReader.LoadAsync(local, CancellationToken.None)).Catalog.Count);
        var written = File.GetLastWriteTimeUtc(local);

        // Unchanged: S3 answers 304 and the local copy is not touched.
        Assert.Equal(local, await mirror.SyncAsync(location, ValidCatalog, CancellationToken.None));
        Assert.Equal(1, NotModifiedAnswers);
        Assert.Equal(written, File.GetLastWriteTimeUtc(local));

        // A restarted silo (a new mirror on the same folder) asks with the ETag it kept.
        Assert.Equal(local, await Mirror().SyncAsync(location, ValidCatalog, CancellationToken.None));
        Assert.Equal(2, NotModifiedAnswers);

        await PutAsync("catalog/items.jsonl.gz", Gzip(Lines("""{"id":"a","name":"A2"}""", """{"id":"b","name":"B"}""", """{"id":"c","name":"C"}""")));
        await mirror.SyncAsync(location, ValidCatalog, CancellationToken.None);
        var catalog = (await CatalogReader.LoadAsync(local, CancellationToken.None)).Catalog;
        Assert.Equal(3, catalog.Count);
        Assert.Contains("A2", Encoding.UTF8.GetString(catalog.Find("a")!.MetadataJson.Span), StringComparison.Ordinal);
        Assert.Equal(2, NotModifiedAnswers);
    }

    [Fact]
    public async Task An_invalid_object_or_an_incomplete_download_leaves_the_previous_copy_in_place()
    {
        var location = new S3Location(_bucket, "items.jsonl.gz");
        var good = Gzip(Lines("""{"id":"a","name":"A"}"""));
        await PutAsync(location.Key, good);
        var mirror = Mirror();
        var local = await mirror.SyncAsync(location, ValidCatalog, CancellationToken.None);

        await PutAsync(location.Key, Lines("not json", """{"name":"no id"}"""));
        var invalid = await Assert.ThrowsAsync<InvalidDataException>(() => mirror.SyncAsync(location, ValidCatalog, CancellationToken.None));
        Assert.Contains("no valid item (2 bad lines)", invalid.Message, StringComparison.Ordinal);
        Assert.Contains("the previous copy stays", invalid.Message, StringComparison.Ordinal);
        Assert.Equal(good, await File.ReadAllBytesAsync(local));

        // A download cut short: half the bytes arrive, which would parse to a smaller valid catalog.
        await PutAsync(location.Key, Gzip(Lines([.. CatalogFiles.Items(2_000)])));
        _observer.Plan = (operation, _) => operation == "GET" ? Fault.TruncateBody : Fault.None;
        var incomplete = await Assert.ThrowsAsync<InvalidDataException>(() => mirror.SyncAsync(location, ValidCatalog, CancellationToken.None));
        Assert.Contains("incomplete", incomplete.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(good, await File.ReadAllBytesAsync(local));
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(local)!, "*.part"));
    }

    [Fact]
    public async Task The_staging_prefix_reads_its_newest_non_empty_object()
    {
        await PutAsync("import/my-store/first.jsonl", Lines("""{"id":"old"}"""));
        await Task.Delay(1100); // S3 LastModified has one-second resolution.
        await PutAsync("import/my-store/second.jsonl", Lines("""{"id":"new"}"""));
        await PutAsync("import/my-store/empty.jsonl", []);
        await PutAsync("import/other/third.jsonl", Lines("""{"id":"other"}"""));

        var local = await Mirror().SyncAsync(S3Location.Staging(_bucket, "my-store"), ValidCatalog, CancellationToken.None);

        Assert.NotNull((await CatalogReader.LoadAsync(local, CancellationToken.None)).Catalog.Find("new"));
    }

    [Fact]
    public async Task While_s3_does_not_answer_the_last_good_copy_keeps_serving()
    {
        await PutAsync("import/shop/items.jsonl", Lines("""{"id":"a","name":"A"}"""));
        await PutAsync("direct.jsonl", Lines("""{"id":"b","name":"B"}"""));
        using var impatient = servers.S3Client(timeout: TimeSpan.FromMilliseconds(500));
        var mirror = Mirror(impatient);
        var staging = S3Location.Staging(_bucket, "shop");
        var direct = new S3Location(_bucket, "direct.jsonl");
        var stagingCopy = await mirror.SyncAsync(staging, ValidCatalog, CancellationToken.None);
        var directCopy = await mirror.SyncAsync(direct, ValidCatalog, CancellationToken.None);

        await servers.S3.SuspendAsync();
        try
        {
            Assert.Equal(stagingCopy, await mirror.SyncAsync(staging, ValidCatalog, CancellationToken.None));
            Assert.Equal(directCopy, await mirror.SyncAsync(direct, ValidCatalog, CancellationToken.None));

            // A restarted silo finds an object key's copy by its ETag file; a prefix it never resolved is an error.
            var restarted = Mirror(impatient);
            Assert.Equal(directCopy, await restarted.SyncAsync(direct, ValidCatalog, CancellationToken.None));
            await Assert.ThrowsAsync<IOException>(() => restarted.SyncAsync(staging, ValidCatalog, CancellationToken.None));
        }
        finally
        {
            await servers.S3.ResumeAsync();
        }
    }

    [Fact]
    public async Task A_missing_object_bucket_or_prefix_is_a_file_not_found()
    {
        var mirror = Mirror();
        await Assert.ThrowsAsync<FileNotFoundException>(() => mirror.SyncAsync(new S3Location(_bucket, "nothing.jsonl"), ValidCatalog, CancellationToken.None));
        await Assert.ThrowsAsync<FileNotFoundException>(() => mirror.SyncAsync(new S3Location("no-such-bucket", "x.jsonl"), ValidCatalog, CancellationToken.None));
        await Assert.ThrowsAsync<FileNotFoundException>(() => mirror.SyncAsync(S3Location.Staging(_bucket, "empty-ns"), ValidCatalog, CancellationToken.None));
    }
}

/// <summary>The s3:// addresses a configuration may name.</summary>
public sealed class S3LocationTests
{
    [Theory]
    [InlineData("s3://bucket/key.jsonl", "bucket", "key.jsonl", false)]
    [InlineData("S3://my.bucket/import/ns/", "my.bucket", "import/ns/", true)]
    [InlineData("s3://bucket", "bucket", "", true)]
    public void Parses_s3_addresses(string path, string bucket, string key, bool isPrefix)
    {
        Assert.True(S3Location.TryParse(path, out var location, out var error), error);
        Assert.Equal(new S3Location(bucket, key), location);
        Assert.Equal(isPrefix, location.IsPrefix);
    }

    [Theory]
    [InlineData("s3://", "bucket name")]
    [InlineData("s3://Upper/key", "bucket name")]
    [InlineData("s3://a_b/key", "bucket name")]
    [InlineData("/local/file", "not an s3://")]
    public void Rejects_bad_s3_addresses_naming_the_problem(string path, string expected)
    {
        Assert.False(S3Location.TryParse(path, out _, out var error));
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }
}
