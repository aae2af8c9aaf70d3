using System.Text.Json;

namespace Personalization.LocalAws;

/// <summary>Writes an error the way AWS does: x-amzn-ErrorType header (restJson1) and __type/message body.</summary>
public static class AwsErrorResult
{
    public static async Task WriteAsync(HttpContext context, int status, string code, string message)
    {
        context.Response.StatusCode = status;
        context.Response.Headers["x-amzn-ErrorType"] = code;
        context.Response.ContentType = "application/json";
        await using var writer = new Utf8JsonWriter(context.Response.Body);
        writer.WriteStartObject();
        writer.WriteString("__type", code);
        writer.WriteString("message", message);
        writer.WriteEndObject();
        await writer.FlushAsync(context.RequestAborted);
    }
}
