using System.Runtime.InteropServices;

namespace Personalization.Grains.Experiments;

/// <summary>
/// Persisted counts of one experiment (and one metric): variation key → tally. Plain mutable state for a grain's
/// <c>IPersistentState&lt;ArmCounters&gt;</c>; serializes as <c>{"arms": {"A": {"exposures": 1, ...}}}</c>.
/// Arms removed from the config keep their counts, so history is never lost by a config edit.
/// </summary>
[GenerateSerializer, Alias("personalization.ArmCounters")]
public sealed class ArmCounters
{
    [Id(0)]
    public Dictionary<string, ArmTally> Arms { get; init; } = new(StringComparer.Ordinal);

    public ArmTally this[string variationKey] => Arms.GetValueOrDefault(variationKey);

    /// <summary>Counts <paramref name="users"/> newly exposed users in <paramref name="variationKey"/>.</summary>
    public void RecordExposure(string variationKey, long users = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(users);
        Update(variationKey, new ArmTally(users, 0, 0));
    }

    /// <summary>
    /// Counts a conversion worth <paramref name="value"/>; <paramref name="newlyConvertedUsers"/> is 1 for a user's
    /// first conversion in this experiment and 0 for a repeat, so the rate stays converted users / exposed users.
    /// </summary>
    public void RecordConversion(string variationKey, double value, long newlyConvertedUsers = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(newlyConvertedUsers);
        if (!double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "A conversion value must be finite.");
        }

        Update(variationKey, new ArmTally(0, newlyConvertedUsers, value));
    }

    /// <summary>Adds every tally of <paramref name="other"/> (e.g. a batch accumulated before a write).</summary>
    public void Merge(ArmCounters other)
    {
        foreach (var (variationKey, tally) in other.Arms)
        {
            Update(variationKey, tally);
        }
    }

    private void Update(string variationKey, ArmTally delta)
    {
        ArgumentException.ThrowIfNullOrEmpty(variationKey);
        ref var tally = ref CollectionsMarshal.GetValueRefOrAddDefault(Arms, variationKey, out _);
        tally = tally.Add(delta);
    }
}
