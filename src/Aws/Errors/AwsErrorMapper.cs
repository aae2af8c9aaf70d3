using System.Net;
using System.Text.Json;

namespace Personalization.Aws.Errors;

/// <summary>
/// Turns an AWS error response into a typed exception. Reads the awsJson shape (<c>__type</c>, possibly
/// "namespace#Code"), the restJson1 header <c>x-amzn-ErrorType</c> ("Code:uri") and either casing of message.
/// </summary>
public static class AwsErrorMapper
{
    private static readonly HashSet<string> ThrottlingCodes = new(StringComparer.Ordinal)
    {
        "ThrottlingException", "Throttling", "ThrottledException", "ProvisionedThroughputExceededException",
        "TooManyRequestsException", "LimitExceededException", "RequestLimitExceeded", "RequestThrottled",
        "RequestThrottledException", "SlowDown", "BandwidthLimitExceeded",
    };

    private static readonly HashSet<string> ValidationCodes = new(StringComparer.Ordinal)
    {
        "ValidationException", "InvalidInputException", "InvalidParameterException", "InvalidArgumentException",
        "InvalidParameterValueException", "InvalidParameterCombination", "SerializationException",
        "BadRequestException", "InvalidNextTokenException", "MissingParameter", "UnknownOperationException",
        "ValidationError", "InvalidRequestContentException", "RequestTooLargeException", "UnsupportedMediaTypeException",
    };

    private static readonly HashSet<string> NotFoundCodes = new(StringComparer.Ordinal)
    {
        "ResourceNotFoundException", "NotFoundException", "ResourceNotFound",
    };

    private static readonly HashSet<string> AccessDeniedCodes = new(StringComparer.Ordinal)
    {
        "AccessDeniedException", "AccessDenied", "UnrecognizedClientException", "InvalidSignatureException",
        "SignatureDoesNotMatch", "IncompleteSignature", "MissingAuthenticationToken", "ExpiredTokenException",
        "InvalidClientTokenId", "NotAuthorized",
    };

    private static readonly HashSet<string> UnavailableCodes = new(StringComparer.Ordinal)
    {
        "ServiceUnavailable", "ServiceUnavailableException", "InternalFailure", "InternalServerError",
        "InternalServerException", "InternalFailureException", "ServiceFailure",
    };

    public static AwsServiceException Map(HttpStatusCode status, ReadOnlySpan<byte> body, string? errorTypeHeader, string? requestId, string service, string operation)
    {
        string? code = Clean(errorTypeHeader);
        string? message = null;
        if (!body.IsEmpty)
        {
            try
            {
                var reader = new Utf8JsonReader(body);
                if (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
                {
                    while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                    {
                        var name = reader.GetString();
                        reader.Read();
                        if (reader.TokenType != JsonTokenType.String)
                        {
                            reader.Skip();
                            continue;
                        }

                        switch (name)
                        {
                            case "__type" or "code" or "Code":
                                code ??= Clean(reader.GetString());
                                break;
                            case "message" or "Message" or "errorMessage":
                                message ??= reader.GetString();
                                break;
                        }
                    }
                }
            }
            catch (JsonException)
            {
                // Non-JSON bodies (proxies, load balancers) still map by status below.
            }
        }

        code ??= status switch
        {
            HttpStatusCode.TooManyRequests => "TooManyRequestsException",
            HttpStatusCode.NotFound => "NotFoundException",
            HttpStatusCode.Forbidden => "AccessDeniedException",
            >= HttpStatusCode.InternalServerError => "ServiceUnavailable",
            _ => "UnknownError",
        };
        message ??= $"{service} {operation} failed with HTTP {(int)status} {code}.";

        if (ThrottlingCodes.Contains(code) || status == HttpStatusCode.TooManyRequests)
        {
            return new AwsThrottlingException(message, code, requestId, status, service, operation);
        }

        if (ValidationCodes.Contains(code))
        {
            return new AwsValidationException(message, code, requestId, status, service, operation);
        }

        if (NotFoundCodes.Contains(code))
        {
            return new AwsResourceNotFoundException(message, code, requestId, status, service, operation);
        }

        if (AccessDeniedCodes.Contains(code) || status is HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized)
        {
            return new AwsAccessDeniedException(message, code, requestId, status, service, operation);
        }

        if (UnavailableCodes.Contains(code) || status >= HttpStatusCode.InternalServerError)
        {
            return new AwsServiceUnavailableException(message, code, requestId, status, service, operation);
        }

        return new AwsServiceException(message, code, requestId, status, service, operation);
    }

    /// <summary>"aws.protocoltests#FooError:http://..." becomes "FooError".</summary>
    internal static string? Clean(string? raw)
    {
        if (string.IsNullOrWhiteSpace(raw))
        {
            return null;
        }

        var span = raw.AsSpan().Trim();
        var colon = span.IndexOf(':');
        if (colon >= 0)
        {
            span = span[..colon];
        }

        var hash = span.LastIndexOf('#');
        if (hash >= 0)
        {
            span = span[(hash + 1)..];
        }

        return span.IsEmpty ? null : span.ToString();
    }
}
