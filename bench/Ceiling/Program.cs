// The throughput ceiling for the cache-hit benchmark: a bare Kestrel app that answers every GET with the same
// bytes and headers the silo sends on a cache hit (captured from a real response), with no routing, grains,
// or middleware in between. Usage: Personalization.Bench.Ceiling --urls http://127.0.0.1:PORT --body FILE
//   [--cache-control VALUE] [--etag VALUE]
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
var bodyPath = builder.Configuration["body"]
    ?? throw new ArgumentException("--body FILE is required: the response body to serve (a captured silo response).");
var body = await File.ReadAllBytesAsync(bodyPath);
var cacheControl = builder.Configuration["cache-control"] ?? "private, max-age=10, stale-while-revalidate=20";
var etag = builder.Configuration["etag"] ?? "\"ceiling\"";

var app = builder.Build();
app.Run(context =>
{
    var response = context.Response;
    response.Headers.CacheControl = cacheControl;
    response.Headers.ETag = etag;
    response.StatusCode = StatusCodes.Status200OK;
    response.ContentType = "application/json; charset=utf-8";
    response.ContentLength = body.Length;
    return response.Body.WriteAsync(body, context.RequestAborted).AsTask();
});
await app.RunAsync();
