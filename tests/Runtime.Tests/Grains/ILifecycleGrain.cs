namespace Personalization.Runtime.Tests.Grains;

public interface ILifecycleGrain : IGrainWithStringKey
{
    Task<int> GetActivationNumberAsync();

    Task StartTimerAsync(TimeSpan period, Signal[] ticks);

    Task<int> TicksStartedAsync();

    Task<int> MaxConcurrentTicksAsync();
}
