using System.Collections.Concurrent;

namespace Personalization.LocalAws.Recording;

/// <summary>Everything the server received, in arrival order, for tests to assert on.</summary>
public sealed class CallRecorder
{
    private readonly ConcurrentQueue<RecordedCall> _calls = new();

    public void Add(RecordedCall call) => _calls.Enqueue(call);

    public IReadOnlyList<RecordedCall> All => _calls.ToArray();

    public IReadOnlyList<RecordedCall> For(string operation) => _calls.Where(c => c.Operation == operation).ToArray();

    public void Clear() => _calls.Clear();
}
