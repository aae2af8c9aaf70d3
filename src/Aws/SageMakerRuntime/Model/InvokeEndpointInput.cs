namespace Personalization.Aws.SageMakerRuntime;

/// <summary>Input of sagemaker-runtime InvokeEndpoint (POST /endpoints/{EndpointName}/invocations).</summary>
public sealed class InvokeEndpointInput
{
    public string? EndpointName { get; set; }

    /// <summary>The request body as the model expects it.</summary>
    public ReadOnlyMemory<byte> Body { get; set; }

    /// <summary>Content-Type of <see cref="Body"/>.</summary>
    public string? ContentType { get; set; }

    /// <summary>Accept: the content type wanted back.</summary>
    public string? Accept { get; set; }

    /// <summary>X-Amzn-SageMaker-Custom-Attributes: opaque, passed to the model.</summary>
    public string? CustomAttributes { get; set; }

    /// <summary>X-Amzn-SageMaker-Target-Variant: a production variant, bypassing the traffic split.</summary>
    public string? TargetVariant { get; set; }

    /// <summary>X-Amzn-SageMaker-Inference-Id: an id for model monitoring.</summary>
    public string? InferenceId { get; set; }
}
