namespace Personalization.Runtime.Core;

/// <summary>Live-activation bookkeeping of one grain type (for the capacity cap and the gauge).</summary>
internal sealed class GrainTypeActivations(string grainType)
{
    private int _live;
    private int _collecting;

    public string GrainType { get; } = grainType;

    public int Live => Volatile.Read(ref _live);

    public void Added() => Interlocked.Increment(ref _live);

    public void Removed() => Interlocked.Decrement(ref _live);

    /// <summary>At most one capacity sweep per type at a time.</summary>
    public bool TryBeginCollecting() => Interlocked.CompareExchange(ref _collecting, 1, 0) == 0;

    public void EndCollecting() => Volatile.Write(ref _collecting, 0);
}
