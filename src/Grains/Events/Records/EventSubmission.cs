using System.Diagnostics;

namespace Personalization.Grains.Events;

/// <summary>
/// One accepted request: its validated events and origin. Its records share it, so queuing an event costs no
/// allocation, and a payload encoded for one target (Kinesis and Firehose both use the envelope) is reused.
/// </summary>
public sealed class EventSubmission
{
    private const int FormatsCached = 4;
    private byte[]?[]? _payloads;

    public EventSubmission(EventOrigin origin, EventsRequest request)
    {
        Origin = origin;
        Request = request;
    }

    public EventOrigin Origin { get; }

    /// <summary>The trace of the request that submitted the events (none while no tracer listens): each batch sent to a target links to it.</summary>
    public ActivityContext TraceContext { get; } = Activity.Current?.Context ?? default;

    public EventsRequest Request { get; }

    public int Count => Request.EventList.Count;

    public EventRecord this[int index] => (uint)index < (uint)Count ? new EventRecord(this, index) : throw new ArgumentOutOfRangeException(nameof(index));

    internal ReadOnlyMemory<byte> GetPayload(int index, EventPayloadFormat format, bool newlineTerminated)
    {
        var payloads = _payloads ?? Interlocked.CompareExchange(ref _payloads, new byte[]?[Count * FormatsCached], null) ?? _payloads!;
        var slot = (index * FormatsCached) + ((int)format * 2) + (newlineTerminated ? 1 : 0);

        // Two targets racing here both encode the same bytes; either copy is right.
        return Volatile.Read(ref payloads[slot]) ?? (payloads[slot] = EventPayloadWriter.Write(new EventRecord(this, index), format, newlineTerminated));
    }
}
