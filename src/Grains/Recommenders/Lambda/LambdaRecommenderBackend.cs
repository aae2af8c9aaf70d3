using System.Text.Json;
using Personalization.Aws.Errors;
using Personalization.Aws.Lambda;
using Personalization.Grains.Configuration;
using Personalization.Grains.Recommenders.Personalize;

namespace Personalization.Grains.Recommenders.Lambda;

/// <summary>
/// Serves `lambda` (also `function`) variations: a synchronous Invoke of the configured function (name or ARN,
/// optional qualifier) with the personalization-apis payload (<see cref="FunctionPayload"/>); the function answers in
/// the Personalize shape. Unlike the original, a function that threw (X-Amz-Function-Error) or answered something
/// that is not that shape is a backend failure (502, or a fallback), never a 500.
/// </summary>
public sealed class LambdaRecommenderBackend(ILambdaClient client) : IRecommenderBackend
{
    public bool Supports(VariationType type) => type == VariationType.Lambda;

    public async Task<RecommenderResult> InvokeAsync(BackendRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var variation = request.Variation;
        var function = variation.Arn ?? throw new RecommenderBackendException(
            BackendFailure.InvalidRequest, "FunctionArnNotConfigured", $"variation '{variation.Key}' has no function arn configured.");
        var payload = FunctionPayload.Write(request, LookAhead.NumResults(request.NumResults, request.Recommender.ResponsePostProcessor));
        var answer = await InvokeAsync(client, function, variation.Qualifier, payload, variation.Key, cancellationToken).ConfigureAwait(false);
        return Read(answer, variation.Key, request.Recommender.Action == RecommenderAction.RerankItems, "LambdaBadResponse");
    }

    /// <summary>One RequestResponse invocation; a function error is a <see cref="BackendFailure.BadResponse"/>.</summary>
    internal static async Task<ReadOnlyMemory<byte>> InvokeAsync(ILambdaClient client, string function, string? qualifier, byte[] payload, string variationKey, CancellationToken cancellationToken)
    {
        InvocationResponse response;
        try
        {
            response = await client.InvokeAsync(
                new InvocationRequest { FunctionName = function, Qualifier = qualifier, InvocationType = "RequestResponse", Payload = payload },
                cancellationToken).ConfigureAwait(false);
        }
        catch (AwsServiceException exception)
        {
            throw AwsBackendErrors.Map(exception, variationKey, "AWS Lambda", "LambdaTimeout");
        }

        if (response.FunctionError is { } error)
        {
            throw new RecommenderBackendException(
                BackendFailure.BadResponse,
                "FunctionError",
                $"the Lambda function of variation '{variationKey}' failed ({error}{ErrorType(response.Payload)}).");
        }

        return response.Payload;
    }

    /// <summary>The Personalize-shaped answer of a function or endpoint; anything else is a <see cref="BackendFailure.BadResponse"/>.</summary>
    internal static RecommenderResult Read(ReadOnlyMemory<byte> body, string variationKey, bool personalizedRanking, string code)
    {
        try
        {
            return RecommenderResponseJson.Parse(body, personalizedRanking);
        }
        catch (Exception exception) when (exception is JsonException or FormatException)
        {
            throw new RecommenderBackendException(
                BackendFailure.BadResponse, code, $"variation '{variationKey}' answered with an unreadable body: {exception.Message}", inner: exception);
        }
    }

    /// <summary>": KeyError" from Lambda's error object {errorType, errorMessage}; its message stays out (it may carry the function's internals).</summary>
    private static string ErrorType(ReadOnlyMemory<byte> payload)
    {
        try
        {
            using var document = JsonDocument.Parse(payload);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("errorType", out var type)
                && type.ValueKind == JsonValueKind.String
                ? ": " + type.GetString()
                : string.Empty;
        }
        catch (JsonException)
        {
            return string.Empty;
        }
    }
}
