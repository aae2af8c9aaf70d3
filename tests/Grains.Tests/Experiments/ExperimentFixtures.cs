using Personalization.Grains.Experiments;

namespace Personalization.Grains.Tests.Experiments;

/// <summary>Builds definitions in code, the way <see cref="ExperimentDefinition.FromJson"/> would with its defaults.</summary>
internal static class ExperimentFixtures
{
    public static ExperimentDefinition Builtin(
        string feature,
        params (string Key, double Weight)[] arms) => new()
        {
            Feature = feature,
            Method = ExperimentMethod.Builtin,
            Salt = feature,
            Arms = arms.Select(arm => new ExperimentArm(arm.Key, arm.Weight)).ToArray(),
            Control = arms[0].Key,
            DefaultVariation = arms[0].Key,
        };

    public static IEnumerable<string> SampleUsers(int count, string prefix = "user-") =>
        Enumerable.Range(0, count).Select(i => prefix + i.ToString(System.Globalization.CultureInfo.InvariantCulture));
}
