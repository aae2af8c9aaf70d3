namespace Personalization.LocalAws.Admin;

/// <summary>Body of POST /_local/latency: delay every call of Operation ("*" = any); 0 removes it.</summary>
public sealed record LatencyRequest(string Operation, int Milliseconds);
