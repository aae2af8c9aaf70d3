namespace Personalization.LocalAws.Admin;

/// <summary>
/// Body of POST /_local/faults: fail the next Count calls of Operation ("*" = any), or, with Percent, that share of
/// its calls until DELETE /_local/faults.
/// </summary>
public sealed record FaultRequest(string Operation, int Count, string ErrorCode, int StatusCode = 400, string? Message = null, double? Percent = null);
