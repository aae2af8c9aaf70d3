namespace Personalization.Grains.Experiments;

/// <summary>The few formulas the results report needs, with no statistics library available.</summary>
public static class ExperimentStatistics
{
    /// <summary>The standard normal quantile for a two-sided 95% interval.</summary>
    public const double Z95 = 1.959963984540054;

    /// <summary>
    /// Complementary error function, Chebyshev fit from Numerical Recipes (erfcc): fractional error below 1.2e-7
    /// everywhere, which keeps even small p-values accurate to about 7 significant digits.
    /// </summary>
    public static double Erfc(double x)
    {
        var z = Math.Abs(x);
        var t = 1.0 / (1.0 + (0.5 * z));
        var polynomial = -1.26551223 + (t * (1.00002368 + (t * (0.37409196 + (t * (0.09678418
            + (t * (-0.18628806 + (t * (0.27886807 + (t * (-1.13520398 + (t * (1.48851587
            + (t * (-0.82215223 + (t * 0.17087277)))))))))))))))));
        var answer = t * Math.Exp(-(z * z) + polynomial);
        return x >= 0 ? answer : 2.0 - answer;
    }

    /// <summary>Φ(z), the standard normal cumulative distribution.</summary>
    public static double NormalCdf(double z) => 0.5 * Erfc(-z / Math.Sqrt(2));

    /// <summary>
    /// Wilson score interval for a binomial proportion: unlike the normal (Wald) interval it stays inside [0, 1]
    /// and is sensible for small samples and rates near 0 or 1. Null when there are no trials.
    /// </summary>
    public static ProportionInterval? WilsonInterval(long successes, long trials, double z = Z95)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(successes);
        ArgumentOutOfRangeException.ThrowIfNegative(trials);
        if (trials == 0)
        {
            return null;
        }

        double n = trials;
        var p = Math.Min(successes, trials) / n;
        var z2 = z * z;
        var denominator = 1 + (z2 / n);
        var center = (p + (z2 / (2 * n))) / denominator;
        var halfWidth = z * Math.Sqrt((p * (1 - p) / n) + (z2 / (4 * n * n))) / denominator;
        return new ProportionInterval(Math.Max(0, center - halfWidth), Math.Min(1, center + halfWidth));
    }

    /// <summary>
    /// Two-sided p-value of the pooled two-proportion z-test (H0: both arms convert at the same rate). Null when
    /// either arm has no trials. When the pooled rate is 0 or 1 both arms are identical, so the p-value is 1.
    /// </summary>
    public static double? TwoProportionPValue(long successes1, long trials1, long successes2, long trials2)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(successes1);
        ArgumentOutOfRangeException.ThrowIfNegative(trials1);
        ArgumentOutOfRangeException.ThrowIfNegative(successes2);
        ArgumentOutOfRangeException.ThrowIfNegative(trials2);
        if (trials1 == 0 || trials2 == 0)
        {
            return null;
        }

        double x1 = Math.Min(successes1, trials1), x2 = Math.Min(successes2, trials2);
        double n1 = trials1, n2 = trials2;
        var pooled = (x1 + x2) / (n1 + n2);
        var standardError = Math.Sqrt(pooled * (1 - pooled) * ((1 / n1) + (1 / n2)));
        if (!(standardError > 0))
        {
            return 1.0;
        }

        var z = Math.Abs((x2 / n2) - (x1 / n1)) / standardError;
        return Math.Min(1.0, Erfc(z / Math.Sqrt(2)));
    }

    /// <summary>
    /// Relative lift of <paramref name="rate"/> over <paramref name="baseline"/>: (rate − baseline) / baseline, so 0.25
    /// is 25% more conversions per exposed user. Null when either is undefined or the baseline is 0 (no finite lift).
    /// </summary>
    public static double? RelativeLift(double? baseline, double? rate) =>
        baseline is { } b && rate is { } r && b > 0 ? (r - b) / b : null;
}
