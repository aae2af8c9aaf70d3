using System.Globalization;

namespace Personalization.Grains.Experiments;

/// <summary>How report numbers read in words (the verdict) and on the experiments page: invariant culture, fixed decimals.</summary>
public static class ReportFormat
{
    /// <summary>A rate as a percentage with two decimals: 0.12345 → "12.35%".</summary>
    public static string Percent(double rate) => (rate * 100).ToString("0.00", CultureInfo.InvariantCulture) + "%";

    /// <summary>A lift as a signed percentage with two decimals: 0.25 → "+25.00%", -0.1 → "-10.00%".</summary>
    public static string SignedPercent(double lift) => (lift * 100).ToString("+0.00;-0.00;0.00", CultureInfo.InvariantCulture) + "%";

    /// <summary>A p-value with four decimals, or "&lt; 0.0001" below that.</summary>
    public static string PValue(double pValue) => pValue < 0.0001 ? "< 0.0001" : pValue.ToString("0.0000", CultureInfo.InvariantCulture);

    /// <summary>"p = 0.0074", or "p &lt; 0.0001" below four decimals.</summary>
    public static string PValueClause(double pValue) => pValue < 0.0001 ? "p < 0.0001" : "p = " + PValue(pValue);

    /// <summary>A plain number (weight, level) without trailing zeros: 0.025, 50, 1.5.</summary>
    public static string Number(double value) => value.ToString("0.######", CultureInfo.InvariantCulture);
}
