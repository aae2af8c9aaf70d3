using Personalization.Runtime.CodeGeneration;

namespace Personalization.Runtime.Core;

/// <summary>A call queued for its activation's turn. Completes with true when the turn is granted.</summary>
internal sealed class TurnWaiter(CallKind kind) : TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously)
{
    public CallKind Kind { get; } = kind;
}
