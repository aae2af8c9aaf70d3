namespace Personalization.Runtime;

/// <summary>
/// A grain call would wait for a turn held by a call earlier in the same call chain (a grain calling itself, or
/// A → B → A). Orleans would deadlock until the call times out; this runtime fails the call at once. Mark the target
/// method [AlwaysInterleave] if it is safe to run interleaved.
/// </summary>
public sealed class GrainCallCycleException(string message) : InvalidOperationException(message);
