using Personalization.Aws.Errors;
using Personalization.Aws.SageMakerRuntime;
using Personalization.Grains.Configuration;
using Personalization.Grains.Recommenders.Lambda;
using Personalization.Grains.Recommenders.Personalize;

namespace Personalization.Grains.Recommenders.SageMaker;

/// <summary>
/// Serves `sagemaker` variations: InvokeEndpoint on the configured `endpointName` with the personalization-apis
/// payload as application/json (<see cref="FunctionPayload"/>); the model answers in the Personalize shape. A model
/// error (424) or an unreadable answer is a backend failure (502, or a fallback).
/// </summary>
public sealed class SageMakerRecommenderBackend(ISageMakerRuntimeClient client) : IRecommenderBackend
{
    private const string Json = "application/json";

    public bool Supports(VariationType type) => type == VariationType.SageMaker;

    public async Task<RecommenderResult> InvokeAsync(BackendRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var variation = request.Variation;
        var endpoint = variation.EndpointName ?? throw new RecommenderBackendException(
            BackendFailure.InvalidRequest, "EndpointNameNotConfigured", $"variation '{variation.Key}' has no endpointName configured.");
        var payload = FunctionPayload.Write(request, LookAhead.NumResults(request.NumResults, request.Recommender.ResponsePostProcessor));
        InvokeEndpointOutput output;
        try
        {
            output = await client.InvokeEndpointAsync(
                new InvokeEndpointInput { EndpointName = endpoint, ContentType = Json, Accept = Json, Body = payload },
                cancellationToken).ConfigureAwait(false);
        }
        catch (AwsServiceException exception)
        {
            throw AwsBackendErrors.Map(exception, variation.Key, "Amazon SageMaker", "SageMakerTimeout");
        }

        return LambdaRecommenderBackend.Read(output.Body, variation.Key, request.Recommender.Action == RecommenderAction.RerankItems, "SageMakerBadResponse");
    }
}
