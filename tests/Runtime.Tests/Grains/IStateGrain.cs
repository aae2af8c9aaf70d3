namespace Personalization.Runtime.Tests.Grains;

public interface IStateGrain : IGrainWithStringKey
{
    Task SetAsync(string value);

    [ReadOnly]
    Task<string?> GetAsync();

    [ReadOnly]
    Task<string?> GetEtagAsync();

    Task ClearAsync();
}

public sealed class ProfileState
{
    public string? Value { get; set; }

    public int Writes { get; set; }
}
