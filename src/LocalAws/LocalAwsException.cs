namespace Personalization.LocalAws;

/// <summary>Thrown by handlers to answer with an AWS error shape.</summary>
public sealed class LocalAwsException(int statusCode, string errorCode, string message) : Exception(message)
{
    public int StatusCode { get; } = statusCode;

    public string ErrorCode { get; } = errorCode;

    public static LocalAwsException Validation(string message) => new(400, "ValidationException", message);

    public static LocalAwsException NotFound(string message) => new(404, "ResourceNotFoundException", message);
}
