using System.Buffers;
using Personalization.Api.Errors;

namespace Personalization.Api.Http;

/// <summary>Reads a request body into memory up to a limit; beyond it, a 413 that names the limit.</summary>
internal static class RequestBody
{
    public static async Task<ReadOnlyMemory<byte>> ReadAsync(HttpContext context, int maxBytes)
    {
        if (context.Request.ContentLength > maxBytes)
        {
            throw TooLarge(maxBytes);
        }

        var buffer = new ArrayBufferWriter<byte>((int)Math.Clamp(context.Request.ContentLength ?? 4096, 1, maxBytes + 1L));
        while (true)
        {
            var read = await ReadChunkAsync(context, buffer.GetMemory(4096));
            if (read == 0)
            {
                return buffer.WrittenMemory;
            }

            buffer.Advance(read);
            if (buffer.WrittenCount > maxBytes)
            {
                throw TooLarge(maxBytes);
            }
        }
    }

    /// <summary>
    /// Kestrel reports most framing errors as <see cref="BadHttpRequestException"/> with the status it chose, but some as
    /// a plain <see cref="IOException"/> (a chunk size that overflows) or <see cref="InvalidOperationException"/> (a NUL
    /// in a chunked trailer, from its header parser): either way the client sent a body that cannot be read, a 400. A
    /// client that went away is left to the exception handler middleware (499, not logged).
    /// </summary>
    private static async ValueTask<int> ReadChunkAsync(HttpContext context, Memory<byte> into)
    {
        try
        {
            return await context.Request.Body.ReadAsync(into, context.RequestAborted);
        }
        catch (Exception e) when (e is IOException or InvalidOperationException && e is not BadHttpRequestException && !context.RequestAborted.IsCancellationRequested)
        {
            throw new BadHttpRequestException($"the request body could not be read: {e.Message}", StatusCodes.Status400BadRequest, e);
        }
    }

    private static ApiException TooLarge(int maxBytes) =>
        new(StatusCodes.Status413PayloadTooLarge, new ApiError(ErrorTypes.Validation, "RequestTooLarge", $"the body is larger than {maxBytes} bytes."));
}
