namespace Personalization.Runtime.Core;

/// <summary>
/// The grains the current logical call passes through (flows with the ExecutionContext). A call back into a grain
/// already on the chain would wait for a turn its own caller holds — Orleans deadlocks there; we fail fast instead.
/// </summary>
internal sealed class CallChain(GrainId grainId, CallChain? parent)
{
    private static readonly AsyncLocal<CallChain?> CurrentChain = new();

    public static CallChain? Current
    {
        get => CurrentChain.Value;
        set => CurrentChain.Value = value;
    }

    public GrainId GrainId { get; } = grainId;

    public CallChain? Parent { get; } = parent;

    public bool Contains(GrainId grainId)
    {
        for (var link = this; link is not null; link = link.Parent)
        {
            if (link.GrainId == grainId)
            {
                return true;
            }
        }

        return false;
    }

    public string Describe(GrainId target)
    {
        var names = new List<string> { target.ToString() };
        for (var link = this; link is not null; link = link.Parent)
        {
            names.Add(link.GrainId.ToString());
        }

        names.Reverse();
        return string.Join(" -> ", names);
    }
}
