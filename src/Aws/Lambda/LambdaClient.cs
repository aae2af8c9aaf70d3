using Personalization.Aws.Configuration;
using Personalization.Aws.Transport;

namespace Personalization.Aws.Lambda;

/// <summary>
/// Invoke over the shared transport (SigV4, deadline, retries of throttling and 5xx, error mapping). The payload and
/// the answer are raw bytes, as the model's blob members: reading them is the caller's business.
/// </summary>
public sealed class LambdaClient(AwsTransport transport) : ILambdaClient
{
    private const string ApiVersion = "/2015-03-31";

    private static readonly AwsService Service = AwsService.Lambda;

    public Task<InvocationResponse> InvokeAsync(InvocationRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrEmpty(request.FunctionName))
        {
            throw new ArgumentException("Invoke needs a FunctionName.", nameof(request));
        }

        var path = ApiVersion + "/functions/" + Uri.EscapeDataString(request.FunctionName) + "/invocations";
        if (!string.IsNullOrEmpty(request.Qualifier))
        {
            path += "?Qualifier=" + Uri.EscapeDataString(request.Qualifier);
        }

        var headers = new List<KeyValuePair<string, string>>(3);
        headers.AddIfSet("X-Amz-Invocation-Type", request.InvocationType);
        headers.AddIfSet("X-Amz-Log-Type", request.LogType);
        headers.AddIfSet("X-Amz-Client-Context", request.ClientContext);
        var call = new AwsRequest("Invoke", HttpMethod.Post, path, request.Payload, headers, "application/json");
        return transport.SendAsync(Service, call, 0, static async (response, _, ct) => new InvocationResponse
        {
            StatusCode = (int)response.StatusCode,
            FunctionError = AwsTransport.HeaderValue(response, "X-Amz-Function-Error"),
            LogResult = AwsTransport.HeaderValue(response, "X-Amz-Log-Result"),
            ExecutedVersion = AwsTransport.HeaderValue(response, "X-Amz-Executed-Version"),
            Payload = await response.Content.ReadAsByteArrayAsync(ct).ConfigureAwait(false),
        }, cancellationToken);
    }
}
