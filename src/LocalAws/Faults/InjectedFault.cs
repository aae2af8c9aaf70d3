namespace Personalization.LocalAws.Faults;

/// <summary>An error to answer with instead of running the operation.</summary>
public sealed record InjectedFault(string ErrorCode, int StatusCode = 400, string? Message = null)
{
    public static InjectedFault Throttling { get; } = new("ThrottlingException", 400, "Rate exceeded");

    public static InjectedFault ServiceUnavailable { get; } = new("ServiceUnavailableException", 503, "Service unavailable");
}
