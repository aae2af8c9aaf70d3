namespace Personalization.Aws.SageMakerRuntime;

/// <summary>Output of sagemaker-runtime InvokeEndpoint.</summary>
public sealed class InvokeEndpointOutput
{
    /// <summary>What the model returned.</summary>
    public ReadOnlyMemory<byte> Body { get; set; }

    public string? ContentType { get; set; }

    /// <summary>x-Amzn-Invoked-Production-Variant: the variant that answered.</summary>
    public string? InvokedProductionVariant { get; set; }

    /// <summary>X-Amzn-SageMaker-Custom-Attributes returned by the model.</summary>
    public string? CustomAttributes { get; set; }
}
