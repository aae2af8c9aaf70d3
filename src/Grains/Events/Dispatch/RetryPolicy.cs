namespace Personalization.Grains.Events;

/// <summary>
/// Exponential backoff with "equal jitter" (half fixed, half random) for records that failed retryably. A record is
/// given up after <see cref="MaxAttempts"/> sends and reported as failed, never dropped silently.
/// </summary>
public sealed record RetryPolicy
{
    public int MaxAttempts { get; init; } = 8;

    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The wait after the <paramref name="attempt"/>-th failed send (1-based).</summary>
    public TimeSpan DelayAfter(int attempt, Random random)
    {
        var exponent = Math.Min(attempt - 1, 30);
        var ceiling = Math.Min(MaxDelay.Ticks, BaseDelay.Ticks * (1L << exponent));
        var half = ceiling / 2;
        return TimeSpan.FromTicks(half + (long)(random.NextDouble() * (ceiling - half)));
    }
}
