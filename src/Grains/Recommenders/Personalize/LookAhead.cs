using Personalization.Grains.Configuration;

namespace Personalization.Grains.Recommenders.Personalize;

/// <summary>
/// How many items to ask Personalize for. A response post-processor may drop items, so with one configured we ask
/// for min(numResults × lookAheadMultiplier, lookAheadMaximumValue); never fewer than asked, never more than the
/// 500 Personalize accepts.
/// </summary>
public static class LookAhead
{
    public const int PersonalizeMaximum = 500;

    public static int NumResults(int requested, ResponsePostProcessorConfig? postProcessor)
    {
        var wanted = Math.Max(requested, 1);
        if (postProcessor is not null)
        {
            var multiplied = wanted * (postProcessor.LookAheadMultiplier ?? 1d);
            var capped = Math.Min(multiplied, postProcessor.LookAheadMaximumValue ?? PersonalizeMaximum);
            wanted = Math.Max(wanted, (int)Math.Min(Math.Ceiling(capped), PersonalizeMaximum));
        }

        return Math.Min(wanted, PersonalizeMaximum);
    }
}
