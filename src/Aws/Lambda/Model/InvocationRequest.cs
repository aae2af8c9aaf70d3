namespace Personalization.Aws.Lambda;

/// <summary>Input of lambda Invoke (POST /2015-03-31/functions/{FunctionName}/invocations).</summary>
public sealed class InvocationRequest
{
    /// <summary>The function's name, full ARN or partial ARN (123456789012:function:name), optionally with :alias or :version.</summary>
    public string? FunctionName { get; set; }

    /// <summary>X-Amz-Invocation-Type: RequestResponse (default), Event or DryRun.</summary>
    public string? InvocationType { get; set; }

    /// <summary>X-Amz-Log-Type: None or Tail (RequestResponse only).</summary>
    public string? LogType { get; set; }

    /// <summary>X-Amz-Client-Context: base64 JSON handed to the function's context object.</summary>
    public string? ClientContext { get; set; }

    /// <summary>The JSON event the function receives.</summary>
    public ReadOnlyMemory<byte> Payload { get; set; }

    /// <summary>Version or alias (query string Qualifier).</summary>
    public string? Qualifier { get; set; }
}
