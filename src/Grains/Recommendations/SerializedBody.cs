using System.Collections;

namespace Personalization.Grains.Recommendations;

/// <summary>
/// A body as the segments to write in order, and their total length: the response's own bytes (one exact-size
/// array) with shared segments (the catalog's metadata bytes) inserted at given offsets of it.
/// </summary>
/// <remarks>
/// Held by every cached response, so its shape is what a cached user costs: one array of own bytes, the insertion
/// offsets (4 bytes each) and the shared segments (16 bytes each), instead of one 16-byte segment per own run and per
/// shared piece (a 25-item body was 51 segments, 840 bytes). Enumerating <see cref="Segments"/> allocates nothing.
/// On the wire it keeps the earlier shape (a segment array and the length, see <see cref="SerializedBodyConverter"/>),
/// so silos of the previous version read it during a rolling deploy.
/// </remarks>
[Immutable, Alias("personalization.SerializedBody")]
public sealed class SerializedBody
{
    private readonly byte[] _own;

    // _offsets[i] is where _shared[i] goes in _own, ascending; both null when nothing is shared.
    private readonly int[]? _offsets;
    private readonly ReadOnlyMemory<byte>[]? _shared;

    public SerializedBody(byte[] own)
    {
        _own = own;
        Length = own.Length;
    }

    /// <param name="offsets">Ascending offsets into <paramref name="own"/> (equal offsets keep their order).</param>
    public SerializedBody(byte[] own, int[] offsets, ReadOnlyMemory<byte>[] shared)
    {
        if (offsets.Length != shared.Length)
        {
            throw new ArgumentException("Every shared segment needs one offset.", nameof(offsets));
        }

        _own = own;
        var length = own.Length;
        var previous = 0;
        foreach (var offset in offsets)
        {
            if (offset < previous || offset > own.Length)
            {
                throw new ArgumentOutOfRangeException(nameof(offsets), "Offsets must ascend within the own bytes.");
            }

            previous = offset;
        }

        foreach (var segment in shared)
        {
            length += segment.Length;
        }

        if (offsets.Length > 0)
        {
            _offsets = offsets;
            _shared = shared;
        }

        Length = length;
    }

    /// <summary>The total length in bytes.</summary>
    public int Length { get; }

    /// <summary>The segments in order (empty own runs are skipped); a struct enumerator, so <c>foreach</c> allocates nothing.</summary>
    public SegmentList Segments => new(this);

    /// <summary>A copy of the whole body (tests, the stale variant's tail); the hit path writes <see cref="Segments"/>.</summary>
    public byte[] ToArray()
    {
        var bytes = new byte[Length];
        var written = 0;
        foreach (var segment in Segments)
        {
            segment.Span.CopyTo(bytes.AsSpan(written));
            written += segment.Length;
        }

        return bytes;
    }

    /// <summary>
    /// This body with its last own byte (a JSON body's closing brace) replaced by <paramref name="tail"/>; the shared
    /// segments are kept, not copied.
    /// </summary>
    public SerializedBody WithTail(ReadOnlySpan<byte> tail)
    {
        if (_own.Length == 0 || (_offsets is { Length: > 0 } offsets && offsets[^1] >= _own.Length))
        {
            throw new InvalidOperationException("The body does not end in own bytes.");
        }

        var own = new byte[_own.Length - 1 + tail.Length];
        _own.AsSpan(0, _own.Length - 1).CopyTo(own);
        tail.CopyTo(own.AsSpan(_own.Length - 1));
        return _offsets is null ? new SerializedBody(own) : new SerializedBody(own, _offsets, _shared!);
    }

    /// <summary>The segments of a body, in order.</summary>
    public readonly struct SegmentList(SerializedBody body) : IEnumerable<ReadOnlyMemory<byte>>
    {
        public Enumerator GetEnumerator() => new(body);

        IEnumerator<ReadOnlyMemory<byte>> IEnumerable<ReadOnlyMemory<byte>>.GetEnumerator() => GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }

    /// <summary>Alternates own runs and shared segments: own[..offsets[0]], shared[0], own[offsets[0]..offsets[1]], ...</summary>
    public struct Enumerator(SerializedBody body) : IEnumerator<ReadOnlyMemory<byte>>
    {
        // Even steps are the own run before shared[step / 2] (or the tail), odd steps are shared[step / 2].
        private int _step = -1;

        public ReadOnlyMemory<byte> Current { get; private set; }

        readonly object IEnumerator.Current => Current;

        public bool MoveNext()
        {
            var count = body._offsets?.Length ?? 0;
            while (++_step <= 2 * count)
            {
                var index = _step / 2;
                if (_step % 2 == 1)
                {
                    Current = body._shared![index];
                }
                else
                {
                    var start = index == 0 ? 0 : body._offsets![index - 1];
                    var end = index == count ? body._own.Length : body._offsets![index];
                    Current = body._own.AsMemory(start, end - start);
                }

                if (!Current.IsEmpty)
                {
                    return true;
                }
            }

            Current = default;
            return false;
        }

        public void Reset()
        {
            _step = -1;
            Current = default;
        }

        public readonly void Dispose()
        {
        }
    }
}

/// <summary>
/// The wire shape of <see cref="SerializedBody"/>: the segments and the length, field for field what the earlier
/// <c>record SerializedBody(ReadOnlyMemory&lt;byte&gt;[] Segments, int Length)</c> wrote.
/// </summary>
[GenerateSerializer]
public struct SerializedBodySurrogate
{
    [Id(0)]
    public ReadOnlyMemory<byte>[] Segments;

    [Id(1)]
    public int Length;
}

/// <summary>
/// Converts a body for a remote call. The receiver gets plain arrays, not the sender's catalog, so it joins them
/// into one own array: a body off the wire is written once (by the API) or cached as one array.
/// </summary>
[RegisterConverter]
public sealed class SerializedBodyConverter : IConverter<SerializedBody, SerializedBodySurrogate>
{
    public SerializedBody ConvertFromSurrogate(in SerializedBodySurrogate surrogate)
    {
        var segments = surrogate.Segments ?? [];
        if (segments.Length == 1 && System.Runtime.InteropServices.MemoryMarshal.TryGetArray(segments[0], out var whole)
            && whole.Offset == 0 && whole.Count == whole.Array!.Length)
        {
            return new SerializedBody(whole.Array);
        }

        var own = new byte[segments.Sum(s => s.Length)];
        var written = 0;
        foreach (var segment in segments)
        {
            segment.Span.CopyTo(own.AsSpan(written));
            written += segment.Length;
        }

        return new SerializedBody(own);
    }

    public SerializedBodySurrogate ConvertToSurrogate(in SerializedBody value) =>
        new() { Segments = [.. value.Segments], Length = value.Length };
}
