namespace Personalization.Api.Errors;

/// <summary>
/// A failure that maps to one HTTP status and error body. Thrown where the problem is found (parameter parsing,
/// config lookup, backend mapping) and written once by <see cref="ApiExceptionHandler"/>.
/// </summary>
public sealed class ApiException(int statusCode, ApiError error, TimeSpan? retryAfter = null) : Exception(error.Message)
{
    public int StatusCode { get; } = statusCode;

    public ApiError Error { get; } = error;

    public TimeSpan? RetryAfter { get; } = retryAfter;

    public static ApiException BadRequest(string code, string message) =>
        new(StatusCodes.Status400BadRequest, new ApiError(ErrorTypes.Validation, code, message));

    public static ApiException NotFound(string code, string message) =>
        new(StatusCodes.Status404NotFound, new ApiError(ErrorTypes.Configuration, code, message));
}
