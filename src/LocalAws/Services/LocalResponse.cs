using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Personalization.LocalAws.Services;

/// <summary>What a handler answers with on success.</summary>
public sealed record LocalResponse(int StatusCode, ReadOnlyMemory<byte> Body, string ContentType, IReadOnlyDictionary<string, string>? Headers = null)
{
    public static LocalResponse Empty { get; } = new(200, ReadOnlyMemory<byte>.Empty, "application/json");

    public static LocalResponse Json<T>(T value, JsonTypeInfo<T> info, bool awsJson, int statusCode = 200) =>
        new(statusCode, JsonSerializer.SerializeToUtf8Bytes(value, info), awsJson ? "application/x-amz-json-1.1" : "application/json");

    /// <summary>Deserialises a request body; malformed input becomes the error AWS gives for it.</summary>
    public static T Read<T>(ReadOnlyMemory<byte> body, JsonTypeInfo<T> info, bool awsJson)
    {
        try
        {
            if (body.IsEmpty)
            {
                throw new JsonException("empty body");
            }

            return JsonSerializer.Deserialize(body.Span, info) ?? throw new JsonException("null body");
        }
        catch (JsonException e)
        {
            throw new LocalAwsException(400, awsJson ? "SerializationException" : "ValidationException", "Could not read the request body: " + e.Message);
        }
    }
}
