namespace Personalization.Runtime.Tests.Grains;

public interface ICounterGrain : IGrainWithStringKey
{
    /// <summary>Increments with awaits between read and write, so overlapping turns would lose updates.</summary>
    Task<int> IncrementAsync();

    [ReadOnly]
    ValueTask<int> GetAsync();

    Task<int> GetCachedAsync();

    Task<int> OverlapsSeenAsync();

    Task<int> GetActivationNumberAsync();

    Task<string> DescribeAsync(string prefix, int number, CancellationToken cancellationToken);

    ValueTask DeactivateAsync();
}
