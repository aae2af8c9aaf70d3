using System.Buffers;
using Personalization.Grains.Recommendations;

namespace Personalization.Api.Http;

/// <summary>
/// Writes a grain's ready response: Cache-Control, a strong ETag, and 304 without a body when If-None-Match names
/// this content. Nothing is serialized here; the bytes were made once, on the miss.
/// </summary>
internal static class CachedResponseWriter
{
    public const string SourceHeader = "X-Personalization-Source";

    public static async Task WriteAsync(HttpContext context, CachedResponse response)
    {
        var headers = context.Response.Headers;
        if (response.CacheControl is { } cacheControl)
        {
            headers.CacheControl = cacheControl;
        }

        headers.ETag = response.ETag;

        // The value is one of the response's own strings (a constant for primary): setting it allocates nothing.
        headers[SourceHeader] = response.Source;
        if (context.Request.Headers.IfNoneMatch is { Count: > 0 } ifNoneMatch
            && EntityTags.IfNoneMatchSatisfied(ifNoneMatch.ToString(), response.ETag))
        {
            context.Response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }

        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.ContentLength = response.Body.Length;
        var body = context.Response.BodyWriter;
        foreach (var segment in response.Body.Segments)
        {
            body.Write(segment.Span);
        }

        await body.FlushAsync(context.RequestAborted);
    }
}
