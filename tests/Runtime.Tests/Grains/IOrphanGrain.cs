namespace Personalization.Runtime.Tests.Grains;

/// <summary>No class implements this: GetGrain must say so.</summary>
public interface IOrphanGrain : IGrainWithStringKey
{
    Task PingAsync();
}

public interface IMisconfiguredGrain : IGrainWithStringKey
{
    Task PingAsync();
}

public sealed class MisconfiguredGrain([PersistentState("s", "nowhere")] IPersistentState<ProfileState> state) : Grain, IMisconfiguredGrain
{
    public Task PingAsync() => state.WriteStateAsync();
}
