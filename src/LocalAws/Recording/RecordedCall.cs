namespace Personalization.LocalAws.Recording;

/// <summary>One request the server received, after signature checking.</summary>
public sealed record RecordedCall(DateTimeOffset ReceivedAt, string Service, string Operation, string Method, string Target, string Body, int StatusCode, string? ErrorCode);
