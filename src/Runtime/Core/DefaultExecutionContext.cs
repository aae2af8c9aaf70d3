namespace Personalization.Runtime.Core;

/// <summary>
/// The ExecutionContext a thread has when nothing flows (no AsyncLocal set). Calls from such callers can reuse one
/// cached per-activation context instead of allocating a new one for the call chain on every call.
/// </summary>
internal static class DefaultExecutionContext
{
    public static readonly ExecutionContext? Instance = Capture();

    private static ExecutionContext? Capture()
    {
        ExecutionContext? captured = null;
        var thread = new Thread(() => captured = ExecutionContext.Capture()) { IsBackground = true };
        thread.UnsafeStart();
        thread.Join();
        return captured;
    }
}
