namespace Personalization.Grains.Experiments;

/// <summary>
/// The thresholds of the plain-words verdict (<see cref="ExperimentVerdicts"/>), in one place; the README's
/// "Experiments page" paragraph states them. Below them the z-test's normal approximation is not trusted, so the
/// verdict is "not enough data" whatever the p-value says.
/// </summary>
public static class VerdictRules
{
    /// <summary>Every compared arm, the control included, needs at least this many exposed users.</summary>
    public const long MinimumUsersPerArm = 100;

    /// <summary>Each comparison (control and one arm) needs at least this many converted users between the two.</summary>
    public const long MinimumConversionsPerComparison = 10;

    /// <summary>
    /// Family-wise significance level, split evenly over the arms compared with the control (Bonferroni): with two
    /// arms besides the control, each comparison needs p &lt; 0.025.
    /// </summary>
    public const double SignificanceLevel = 0.05;
}
