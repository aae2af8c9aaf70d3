namespace Personalization.Grains.Samples;

/// <summary>Size and shape of the generated store. The same options and seed always give the same files.</summary>
public sealed record SampleStoreOptions
{
    public int Seed { get; init; } = 42;

    public int ItemCount { get; init; } = 10_000;

    public int UserCount { get; init; } = 2_500;

    public int InteractionCount { get; init; } = 200_000;

    public int Days { get; init; } = 42;

    /// <summary>First instant of the interaction period (fixed so output does not depend on the clock).</summary>
    public DateTimeOffset Start { get; init; } = new(2026, 9, 1, 0, 0, 0, TimeSpan.Zero);

    public void Validate()
    {
        if (ItemCount < 100 || UserCount < 10 || InteractionCount < 100 || Days < 2)
        {
            throw new ArgumentException("A sample store needs at least 100 items, 10 users, 100 interactions and 2 days.");
        }
    }
}
