namespace Personalization.Aws.Lambda;

/// <summary>AWS Lambda data plane (restJson1, endpoint lambda.{region}, signing name lambda).</summary>
public interface ILambdaClient
{
    Task<InvocationResponse> InvokeAsync(InvocationRequest request, CancellationToken cancellationToken = default);
}
