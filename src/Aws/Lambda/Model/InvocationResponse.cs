namespace Personalization.Aws.Lambda;

/// <summary>Output of lambda Invoke. A function that threw still answers HTTP 200, with <see cref="FunctionError"/> set.</summary>
public sealed class InvocationResponse
{
    /// <summary>HTTP status: 200 for RequestResponse, 202 for Event, 204 for DryRun.</summary>
    public int StatusCode { get; set; }

    /// <summary>X-Amz-Function-Error ("Unhandled" or "Handled"): the payload is then the function's error object.</summary>
    public string? FunctionError { get; set; }

    /// <summary>X-Amz-Log-Result: the last 4 KB of the execution log, base64 (with LogType Tail).</summary>
    public string? LogResult { get; set; }

    /// <summary>What the function returned, or its error object.</summary>
    public ReadOnlyMemory<byte> Payload { get; set; }

    /// <summary>X-Amz-Executed-Version: the version that ran.</summary>
    public string? ExecutedVersion { get; set; }
}
