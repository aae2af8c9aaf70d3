using System.CommandLine;
using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.Json;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Personalization.Api.Tests.Cluster;
using Personalization.Silo.Commands;
using Personalization.TestSupport;
using Xunit;

namespace Personalization.Api.Tests.EndToEnd;

/// <summary>
/// The original's sample configuration with each metadata source, through a whole silo against local servers:
/// `dynamodb` decorating from a table that `catalog load` filled (dynalite), and `localdb` reading the original's S3
/// staging layout (s3rver), following a new upload and ignoring a bad one.
/// </summary>
public sealed class DataSourceTests : IAsyncLifetime
{
    private readonly DynaliteFixture _dynalite = new();
    private readonly S3rverFixture _s3 = new();
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"data-sources-{Guid.NewGuid():N}");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_folder);
        await Task.WhenAll(_dynalite.InitializeAsync(), _s3.InitializeAsync());
    }

    public async Task DisposeAsync()
    {
        await Task.WhenAll(_dynalite.DisposeAsync(), _s3.DisposeAsync());
        Directory.Delete(_folder, recursive: true);
    }

    private static string Sample(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Samples", name));

    private Dictionary<string, string> AwsSettings() => new()
    {
        ["Aws:Region"] = "us-east-1",
        ["Aws:ServiceUrls:dynamodb"] = _dynalite.ServiceUrl.ToString(),
        ["Aws:ServiceUrls:s3"] = _s3.ServiceUrl.ToString(),
        // s3rver's own key pair; dynalite accepts any.
        ["Aws:AccessKeyId"] = "S3RVER",
        ["Aws:SecretAccessKey"] = "S3RVER",
        ["Aws:Timeout"] = "00:00:01",
        ["Aws:MaxRetries"] = "0",
        ["Catalog:S3:CacheDirectory"] = Path.Combine(_folder, "s3-cache"),
    };

    private AmazonS3Client S3Client() => new(
        new BasicAWSCredentials("S3RVER", "S3RVER"),
        new AmazonS3Config { ServiceURL = _s3.ServiceUrl.ToString(), ForcePathStyle = true, AuthenticationRegion = "us-east-1" });

    private static string[] AsArguments(Dictionary<string, string> settings) => [.. settings.Select(s => $"--{s.Key}={s.Value}")];

    private static async Task<int> CatalogLoadAsync(params string[] args)
    {
        var root = new RootCommand { CatalogCommand.Create() };
        return await root.Parse(["catalog", "load", .. args]).InvokeAsync();
    }

    private static IEnumerable<string> Catalog(string suffix = "") =>
        new[] { "a", "b", "c" }.Select(id => JsonSerializer.Serialize(new { id, name = $"Item {id}{suffix}", price = 9.5 }));

    [Fact]
    public async Task Dynamodb_metadata_from_catalog_load_decorates_the_original_sample_and_an_outage_decorates_what_is_known()
    {
        var file = Path.Combine(_folder, "items.jsonl");
        await File.WriteAllLinesAsync(file, [.. Catalog(), "{broken"]);
        var settings = AwsSettings();

        // A bad line is reported (exit 1) and does not stop the load; the items are in the table.
        Assert.Equal(1, await CatalogLoadAsync([file, "--namespace", "my-store", .. AsArguments(settings)]));
        await File.WriteAllLinesAsync(file, Catalog());
        Assert.Equal(0, await CatalogLoadAsync([file, "--namespace", "my-store", .. AsArguments(settings)]));

        var config = Sample("config_simple.json").Replace("\"type\": \"localdb\"", "\"type\": \"dynamodb\"", StringComparison.Ordinal);
        await using var cluster = await TestCluster.StartAsync(new TestClusterOptions { ConfigJson = config, SampleData = false, Settings = settings });

        var response = await cluster.Client.GetApiAsync("/recommend-items/my-store/recommended-for-you/u1");

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal(["a", "b", "c", "d", "e"], response.ItemIds);
        Assert.Equal("Item a", response.Items[0].GetProperty("metadata").GetProperty("name").GetString());
        Assert.Equal(9.5, response.Items[2].GetProperty("metadata").GetProperty("price").GetDouble());
        Assert.False(response.Items[3].TryGetProperty("metadata", out _));
        Assert.Equal("private, max-age=10", response.CacheControl);

        // DynamoDB stops answering: cached items still decorate, unknown ones go out bare, the answer is short-lived.
        await _dynalite.SuspendAsync();
        try
        {
            cluster.Backend.Items = ["a", "x"];
            var degraded = await cluster.Client.GetApiAsync("/recommend-items/my-store/recommended-for-you/u2");

            Assert.True(degraded.Status == HttpStatusCode.OK, degraded.ToString());
            Assert.Equal("Item a", degraded.Items[0].GetProperty("metadata").GetProperty("name").GetString());
            Assert.False(degraded.Items[1].TryGetProperty("metadata", out _));
            Assert.Equal("private, max-age=5", degraded.CacheControl);
        }
        finally
        {
            await _dynalite.ResumeAsync();
        }
    }

    [Fact]
    public async Task Localdb_reads_the_staging_bucket_follows_a_new_upload_and_keeps_serving_through_a_bad_one()
    {
        var settings = AwsSettings();
        settings["Catalog:S3:StagingBucket"] = "staging";
        using var s3 = S3Client();
        await s3.PutBucketAsync("staging");
        async Task UploadAsync(IEnumerable<string> lines)
        {
            using var buffer = new MemoryStream();
            await using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
            {
                await gzip.WriteAsync(Encoding.UTF8.GetBytes(string.Join('\n', lines)));
            }

            buffer.Position = 0;
            await s3.PutObjectAsync(new PutObjectRequest { BucketName = "staging", Key = "import/my-store/items.jsonl.gz", InputStream = buffer, UseChunkEncoding = false });
        }

        await UploadAsync(Catalog());
        await using var cluster = await TestCluster.StartAsync(new TestClusterOptions { ConfigJson = Sample("config_simple.json"), SampleData = false, Settings = settings });

        var first = await cluster.Client.GetApiAsync("/recommend-items/my-store/recommended-for-you/u1");
        Assert.Equal("Item b", first.Items[1].GetProperty("metadata").GetProperty("name").GetString());

        await UploadAsync(Catalog(" v2"));
        await cluster.Silos[0].Data.SyncAsync(CancellationToken.None);
        var second = await cluster.Client.GetApiAsync("/recommend-items/my-store/recommended-for-you/u2");
        Assert.Equal("Item b v2", second.Items[1].GetProperty("metadata").GetProperty("name").GetString());

        // An upload that does not parse is refused; the live catalog keeps serving and the error is named.
        await UploadAsync(["not json at all"]);
        await cluster.Silos[0].Data.SyncAsync(CancellationToken.None);
        Assert.Contains("no valid item", cluster.Silos[0].Data.LastError, StringComparison.Ordinal);
        var third = await cluster.Client.GetApiAsync("/recommend-items/my-store/recommended-for-you/u3");
        Assert.Equal(HttpStatusCode.OK, third.Status);
        Assert.Equal("Item b v2", third.Items[1].GetProperty("metadata").GetProperty("name").GetString());
    }

    [Fact]
    public async Task A_builtin_recommender_trains_from_s3_interactions_and_decorates_from_an_s3_catalog()
    {
        using var s3 = S3Client();
        await s3.PutBucketAsync("data");
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = "data", Key = "shop/items.jsonl", ContentBody = string.Join('\n', Catalog()), UseChunkEncoding = false });
        // c is the most popular, then a; b has no interaction.
        var interactions = new[] { "USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE" }
            .Concat(Enumerable.Range(0, 6).Select(i => $"u{i},c,1767571200,view"))
            .Concat(Enumerable.Range(0, 3).Select(i => $"u{i},a,1767571200,view"));
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = "data", Key = "shop/interactions.csv", ContentBody = string.Join('\n', interactions), UseChunkEncoding = false });
        const string config = """
            { "namespaces": { "shop": {
                "inferenceItemMetadata": { "type": "localdb", "path": "s3://data/shop/items.jsonl" },
                "builtinRecommender": { "interactions": "s3://data/shop/interactions.csv" },
                "recommenders": { "recommend-items": { "popular": { "variations": { "trending": { "type": "builtin", "algorithm": "trending" } } } } } } } }
            """;
        await using var cluster = await TestCluster.StartAsync(new TestClusterOptions { ConfigJson = config, SampleData = false, Settings = AwsSettings() });

        var response = await cluster.Client.GetApiAsync("/recommend-items/shop/popular/someone?numResults=2");

        Assert.True(response.Status == HttpStatusCode.OK, response.ToString());
        Assert.Equal(["c", "a"], response.ItemIds);
        Assert.Equal("Item c", response.Items[0].GetProperty("metadata").GetProperty("name").GetString());
    }

    [Fact]
    public async Task Catalog_load_reads_the_staging_layout_and_takes_the_namespace_from_the_key()
    {
        var settings = AwsSettings();
        using var s3 = S3Client();
        await s3.PutBucketAsync("stage");
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = "stage", Key = "import/shop/items.jsonl", ContentBody = string.Join('\n', Catalog()), UseChunkEncoding = false });

        Assert.Equal(0, await CatalogLoadAsync(["s3://stage/import/shop/", .. AsArguments(settings)]));

        using var dynamo = new Amazon.DynamoDBv2.AmazonDynamoDBClient(
            new BasicAWSCredentials("test", "test"),
            new Amazon.DynamoDBv2.AmazonDynamoDBConfig { ServiceURL = _dynalite.ServiceUrl.ToString(), AuthenticationRegion = "us-east-1" });
        var item = (await dynamo.GetItemAsync("PersonalizationApiItemMetadata_shop", new() { ["id"] = new() { S = "b" } })).Item;
        Assert.Equal("Item b", item["attributes"].M["name"].S);
    }

    [Fact]
    public async Task Catalog_load_names_what_is_wrong_with_its_input()
    {
        var settings = AsArguments(AwsSettings());
        Assert.Equal(2, await CatalogLoadAsync([Path.Combine(_folder, "missing.jsonl"), "--namespace", "n", .. settings]));
        Assert.Equal(2, await CatalogLoadAsync(["s3://Bad_Bucket/x.jsonl", "--namespace", "n", .. settings]));
        var file = Path.Combine(_folder, "ok.jsonl");
        await File.WriteAllLinesAsync(file, Catalog());
        Assert.Equal(2, await CatalogLoadAsync([file, .. settings]));
        Assert.Equal(2, await CatalogLoadAsync([file, "--namespace", "n", "--parallelism", "0", .. settings]));
    }
}
