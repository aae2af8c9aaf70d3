using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using Amazon.S3;
using Personalization.TestSupport;

namespace Personalization.Catalog.Aws.Tests;

/// <summary>One dynalite and one s3rver for the assembly: starting node per class would cost more than the tests.</summary>
[CollectionDefinition(Name)]
public sealed class LocalServersCollection : ICollectionFixture<LocalServers>
{
    public const string Name = "local-aws";
}

public sealed class LocalServers : IAsyncLifetime
{
    private static int _names;

    public DynaliteFixture Dynalite { get; } = new();

    public S3rverFixture S3 { get; } = new();

    public static string NewName(string prefix) => $"{prefix}-{Environment.ProcessId}-{Interlocked.Increment(ref _names)}";

    public Task InitializeAsync() => Task.WhenAll(Dynalite.InitializeAsync(), S3.InitializeAsync());

    public Task DisposeAsync() => Task.WhenAll(Dynalite.DisposeAsync(), S3.DisposeAsync());

    /// <summary>A DynamoDB client on dynalite; <paramref name="faults"/> sits between them when given.</summary>
    public AmazonDynamoDBClient DynamoDB(FaultInjector? faults = null, int maxRetries = 3)
    {
        var config = new AmazonDynamoDBConfig
        {
            ServiceURL = Dynalite.ServiceUrl.ToString(),
            AuthenticationRegion = "us-east-1",
            MaxErrorRetry = maxRetries,
            Timeout = TimeSpan.FromSeconds(10),
        };
        if (faults is not null)
        {
            config.HttpClientFactory = new FaultInjectingHttpClientFactory(faults);
        }

        return new AmazonDynamoDBClient(new BasicAWSCredentials("test", "test"), config);
    }

    /// <summary>An S3 client on s3rver, configured as the silo's (path style, checksums only when required).</summary>
    public AmazonS3Client S3Client(FaultInjector? observer = null, TimeSpan? timeout = null)
    {
        var config = new AmazonS3Config
        {
            Timeout = timeout ?? TimeSpan.FromSeconds(30),
            MaxErrorRetry = timeout is null ? 3 : 0,
            ServiceURL = S3.ServiceUrl.ToString(),
            ForcePathStyle = true,
            AuthenticationRegion = "us-east-1",
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
        };
        if (observer is not null)
        {
            config.HttpClientFactory = new FaultInjectingHttpClientFactory(observer);
        }

        // s3rver accepts only its own key pair.
        return new AmazonS3Client(new BasicAWSCredentials("S3RVER", "S3RVER"), config);
    }

    public async Task<long> CountAsync(IAmazonDynamoDB client, string table)
    {
        long count = 0;
        var request = new ScanRequest { TableName = table, Select = Select.COUNT };
        do
        {
            var page = await client.ScanAsync(request);
            count += page.Count ?? 0;
            request.ExclusiveStartKey = page.LastEvaluatedKey is { Count: > 0 } last ? last : null;
        }
        while (request.ExclusiveStartKey is not null);
        return count;
    }
}

/// <summary>
/// Sits between an AWS client and the local server: counts calls and response codes per operation, and can answer in
/// the server's place with DynamoDB throttling (400 ProvisionedThroughputExceededException) or with every key/item of
/// a batch left unprocessed — what a busy DynamoDB does, which dynalite never does — or cut a download short.
/// </summary>
public sealed class FaultInjector
{
    private readonly Dictionary<string, int> _calls = [];
    private readonly List<HttpStatusCode> _statuses = [];
    private readonly Lock _lock = new();

    /// <summary>Operation (e.g. BatchWriteItem) and its 1-based call number → the fault to inject, if any.</summary>
    public Func<string, int, Fault> Plan { get; set; } = (_, _) => Fault.None;

    public int Calls(string operation)
    {
        lock (_lock)
        {
            return _calls.GetValueOrDefault(operation);
        }
    }

    public IReadOnlyList<HttpStatusCode> Statuses
    {
        get
        {
            lock (_lock)
            {
                return [.. _statuses];
            }
        }
    }

    internal async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, Func<HttpRequestMessage, Task<HttpResponseMessage>> next)
    {
        var operation = request.Headers.TryGetValues("X-Amz-Target", out var targets) ? targets.First().Split('.').Last() : request.Method.Method;
        int call;
        lock (_lock)
        {
            call = _calls[operation] = _calls.GetValueOrDefault(operation) + 1;
        }

        var fault = Plan(operation, call);
        HttpResponseMessage response;
        if (fault == Fault.Throttle)
        {
            response = Json(HttpStatusCode.BadRequest, """{"__type":"com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException","message":"The level of configured provisioned throughput for the table was exceeded."}""");
        }
        else if (fault == Fault.Unprocessed)
        {
            var body = JsonNode.Parse(await request.Content!.ReadAsStringAsync())!["RequestItems"]!.DeepClone();
            var answer = operation == "BatchGetItem"
                ? new JsonObject { ["Responses"] = new JsonObject(), ["UnprocessedKeys"] = body }
                : new JsonObject { ["UnprocessedItems"] = body };
            response = Json(HttpStatusCode.OK, answer.ToJsonString());
        }
        else if (fault == Fault.TruncateBody)
        {
            // The connection delivers half the body under the full Content-Length, as a dropped download does.
            response = await next(request);
            var body = await response.Content.ReadAsByteArrayAsync();
            var headers = response.Content.Headers.ToList();
            response.Content = new ByteArrayContent(body[..(body.Length / 2)]);
            foreach (var (name, values) in headers)
            {
                response.Content.Headers.Remove(name);
                response.Content.Headers.TryAddWithoutValidation(name, values);
            }
        }
        else
        {
            response = await next(request);
        }

        lock (_lock)
        {
            _statuses.Add(response.StatusCode);
        }

        return response;
    }

    private static HttpResponseMessage Json(HttpStatusCode status, string body) => new(status)
    {
        Content = new StringContent(body, Encoding.UTF8, "application/x-amz-json-1.0"),
    };
}

public enum Fault
{
    None,
    Throttle,
    Unprocessed,
    TruncateBody,
}

internal sealed class FaultInjectingHttpClientFactory(FaultInjector faults) : HttpClientFactory
{
    public override HttpClient CreateHttpClient(IClientConfig clientConfig) => new(new Handler(faults) { InnerHandler = new HttpClientHandler() });

    public override bool UseSDKHttpClientCaching(IClientConfig clientConfig) => false;

    public override bool DisposeHttpClientsAfterUse(IClientConfig clientConfig) => false;

    private sealed class Handler(FaultInjector faults) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            faults.SendAsync(request, r => base.SendAsync(r, cancellationToken));
    }
}

/// <summary>Catalog files for the tests.</summary>
internal static class CatalogFiles
{
    public static string Write(IEnumerable<string> lines, bool gzip = false)
    {
        var path = Path.Combine(Path.GetTempPath(), $"catalog-{Guid.NewGuid():N}.jsonl{(gzip ? ".gz" : string.Empty)}");
        using var stream = Personalization.Grains.Catalog.DataFileStreams.CreateWrite(path);
        using var writer = new StreamWriter(stream, new UTF8Encoding(false));
        foreach (var line in lines)
        {
            writer.WriteLine(line);
        }

        return path;
    }

    public static IEnumerable<string> Items(int count, string suffix = "") => Enumerable.Range(0, count).Select(i =>
        JsonSerializer.Serialize(new { id = $"i{i:D5}", name = $"Item {i}{suffix}", price = Math.Round(1 + (i % 500) * 0.25, 2), category = $"c{i % 7}", tags = new[] { "a", "b" } }));
}

internal static class TableSetup
{
    /// <summary>
    /// Creates a table and waits until it is ACTIVE: dynalite answers CreateTable while the table is still CREATING
    /// (even with --createTableMs 0), and an item written in that moment is refused with ResourceNotFound.
    /// </summary>
    public static async Task CreateActiveTableAsync(this IAmazonDynamoDB client, CreateTableRequest request)
    {
        await client.CreateTableAsync(request);
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var described = await client.DescribeTableAsync(request.TableName);
            if (described.Table.TableStatus == TableStatus.ACTIVE)
            {
                return;
            }

            await Task.Delay(20);
        }

        throw new TimeoutException($"table {request.TableName} did not become ACTIVE");
    }
}
