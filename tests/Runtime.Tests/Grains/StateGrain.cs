namespace Personalization.Runtime.Tests.Grains;

public sealed class StateGrain([PersistentState("profile")] IPersistentState<ProfileState> profile) : Grain, IStateGrain
{
    public async Task SetAsync(string value)
    {
        profile.State.Value = value;
        profile.State.Writes++;
        await profile.WriteStateAsync();
    }

    public Task<string?> GetAsync() => Task.FromResult(profile.State.Value);

    public Task<string?> GetEtagAsync() => Task.FromResult(profile.Etag);

    public Task ClearAsync() => profile.ClearStateAsync();
}
