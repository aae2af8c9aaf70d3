namespace Personalization.Grains.Samples;

/// <summary>A user's latent behaviour: how active they are and which subcategories they like — an early taste
/// and a later one (drift), mixed by how far into the period a session is.</summary>
internal sealed class Shopper
{
    private readonly CumulativePicker _early;
    private readonly CumulativePicker _late;

    private Shopper(double activity, CumulativePicker early, CumulativePicker late)
    {
        Activity = activity;
        _early = early;
        _late = late;
    }

    public double Activity { get; }

    public static Shopper Create(Random random, int subcategories)
    {
        var activity = Math.Exp(SampleStoreGenerator.Gaussian(random) * 0.9);
        var early = Taste(random, subcategories);
        var late = (double[])early.Clone();
        if (random.NextDouble() < 0.5)
        {
            // Drift: a new interest appears and grows to a favourite.
            late[random.Next(subcategories)] += 4;
        }

        return new Shopper(activity, new CumulativePicker(early), new CumulativePicker(late));
    }

    public int PickSubcategory(Random random, double progress) =>
        random.NextDouble() < progress ? _late.Next(random) : _early.Next(random);

    // A few strong favourites over a faint background.
    private static double[] Taste(Random random, int subcategories)
    {
        var weights = Enumerable.Repeat(0.02, subcategories).ToArray();
        var favourites = 2 + random.Next(3);
        for (var i = 0; i < favourites; i++)
        {
            weights[random.Next(subcategories)] += 4.0 / (i + 1);
        }

        return weights;
    }
}
