namespace Personalization.Grains.Recommenders.Resilience;

/// <summary>Time budgets and circuit breaker settings of remote backends (bind from configuration section "Resilience").</summary>
public sealed class BackendResilienceOptions
{
    /// <summary>Budget of one Amazon Personalize call including the AWS client's retries.</summary>
    public TimeSpan PersonalizeBudget { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Budget of one call to any other remote backend (http, lambda, sagemaker).</summary>
    public TimeSpan OtherBudget { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Budget of a whole miss: the primary call and remote fallbacks together (built-in ones always run).</summary>
    public TimeSpan RequestBudget { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Share of failed calls within <see cref="SamplingDuration"/> that opens a backend's breaker.</summary>
    public double FailureRatio { get; set; } = 0.5;

    /// <summary>Calls within <see cref="SamplingDuration"/> before the ratio counts (a single failure opens nothing).</summary>
    public int MinimumThroughput { get; set; } = 10;

    public TimeSpan SamplingDuration { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long an open breaker refuses calls before one probe is let through (half-open).</summary>
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(5);

    public TimeSpan BudgetFor(Configuration.VariationType type) =>
        type is Configuration.VariationType.PersonalizeCampaign or Configuration.VariationType.PersonalizeRecommender ? PersonalizeBudget : OtherBudget;

    public void Validate()
    {
        if (PersonalizeBudget <= TimeSpan.Zero || OtherBudget <= TimeSpan.Zero || RequestBudget <= TimeSpan.Zero)
        {
            throw new ArgumentException("Resilience:PersonalizeBudget, OtherBudget and RequestBudget must be positive.");
        }

        if (FailureRatio is <= 0 or > 1 || MinimumThroughput < 2 || SamplingDuration < TimeSpan.FromMilliseconds(500) || BreakDuration < TimeSpan.FromMilliseconds(500))
        {
            throw new ArgumentException("Resilience: FailureRatio in (0, 1], MinimumThroughput >= 2, SamplingDuration and BreakDuration >= 0.5 s (Polly's limits).");
        }
    }
}
