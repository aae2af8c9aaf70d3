using Personalization.Aws.Configuration;
using Personalization.Aws.Transport;

namespace Personalization.Aws.SageMakerRuntime;

/// <summary>InvokeEndpoint over the shared transport (SigV4, deadline, retries of throttling and 5xx, error mapping).</summary>
public sealed class SageMakerRuntimeClient(AwsTransport transport) : ISageMakerRuntimeClient
{
    private static readonly AwsService Service = AwsService.SageMakerRuntime;

    public Task<InvokeEndpointOutput> InvokeEndpointAsync(InvokeEndpointInput request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrEmpty(request.EndpointName))
        {
            throw new ArgumentException("InvokeEndpoint needs an EndpointName.", nameof(request));
        }

        var headers = new List<KeyValuePair<string, string>>(4);
        headers.AddIfSet("Accept", request.Accept);
        headers.AddIfSet("X-Amzn-SageMaker-Custom-Attributes", request.CustomAttributes);
        headers.AddIfSet("X-Amzn-SageMaker-Target-Variant", request.TargetVariant);
        headers.AddIfSet("X-Amzn-SageMaker-Inference-Id", request.InferenceId);
        var path = "/endpoints/" + Uri.EscapeDataString(request.EndpointName) + "/invocations";
        var call = new AwsRequest("InvokeEndpoint", HttpMethod.Post, path, request.Body, headers, request.ContentType ?? "application/json");
        return transport.SendAsync(Service, call, 0, static async (response, _, ct) => new InvokeEndpointOutput
        {
            Body = await response.Content.ReadAsByteArrayAsync(ct).ConfigureAwait(false),
            ContentType = response.Content.Headers.ContentType?.ToString(),
            InvokedProductionVariant = AwsTransport.HeaderValue(response, "x-Amzn-Invoked-Production-Variant"),
            CustomAttributes = AwsTransport.HeaderValue(response, "X-Amzn-SageMaker-Custom-Attributes"),
        }, cancellationToken);
    }
}
