namespace Personalization.Aws.SageMakerRuntime;

/// <summary>Amazon SageMaker runtime (restJson1, endpoint runtime.sagemaker.{region}, signing name sagemaker).</summary>
public interface ISageMakerRuntimeClient
{
    Task<InvokeEndpointOutput> InvokeEndpointAsync(InvokeEndpointInput request, CancellationToken cancellationToken = default);
}
