namespace Personalization.Grains.Samples;

/// <summary>Draws an index with probability proportional to its weight.</summary>
internal sealed class CumulativePicker
{
    private readonly double[] _cumulative;

    public CumulativePicker(IReadOnlyList<double> weights)
    {
        _cumulative = new double[weights.Count];
        var total = 0.0;
        for (var i = 0; i < weights.Count; i++)
        {
            total += weights[i];
            _cumulative[i] = total;
        }
    }

    public int Next(Random random)
    {
        var index = Array.BinarySearch(_cumulative, random.NextDouble() * _cumulative[^1]);
        return Math.Min(index < 0 ? ~index : index, _cumulative.Length - 1);
    }
}
