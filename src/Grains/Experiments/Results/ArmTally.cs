namespace Personalization.Grains.Experiments;

/// <summary>
/// Counts for one arm. <see cref="Exposures"/> and <see cref="Conversions"/> are distinct users (the user grain
/// counts a user once per experiment); <see cref="ConversionValue"/> sums every conversion's value.
/// </summary>
[GenerateSerializer, Immutable, Alias("personalization.ArmTally")]
public readonly record struct ArmTally(long Exposures, long Conversions, double ConversionValue)
{
    public ArmTally Add(ArmTally other) =>
        new(Exposures + other.Exposures, Conversions + other.Conversions, ConversionValue + other.ConversionValue);
}
