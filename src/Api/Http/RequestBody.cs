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
            var read = await context.Request.Body.ReadAsync(buffer.GetMemory(4096), context.RequestAborted);
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

    private static ApiException TooLarge(int maxBytes) =>
        new(StatusCodes.Status413PayloadTooLarge, new ApiError(ErrorTypes.Validation, "RequestTooLarge", $"the body is larger than {maxBytes} bytes."));
}
