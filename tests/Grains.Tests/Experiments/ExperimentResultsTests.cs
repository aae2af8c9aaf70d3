using System.Text.Json;
using Personalization.Grains.Experiments;
using Xunit;
using static Personalization.Grains.Tests.Experiments.ExperimentFixtures;

namespace Personalization.Grains.Tests.Experiments;

public sealed class ExperimentResultsTests
{
    [Fact]
    public void Counters_increment_and_merge_per_arm()
    {
        var counters = new ArmCounters();
        counters.RecordExposure("A");
        counters.RecordExposure("A", 2);
        counters.RecordConversion("A", 1.5);
        counters.RecordConversion("A", 2.0, newlyConvertedUsers: 0);
        var batch = new ArmCounters();
        batch.RecordExposure("B", 4);
        batch.RecordConversion("A", 1.0);

        counters.Merge(batch);

        Assert.Equal(new ArmTally(3, 2, 4.5), counters["A"]);
        Assert.Equal(new ArmTally(4, 0, 0), counters["B"]);
        Assert.Equal(default, counters["never-seen"]);
        Assert.Throws<ArgumentOutOfRangeException>(() => counters.RecordExposure("A", -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => counters.RecordConversion("A", double.NaN));
    }

    [Fact]
    public void Counters_survive_a_json_round_trip()
    {
        var counters = new ArmCounters();
        counters.RecordExposure("A", 10);
        counters.RecordConversion("A", 3);

        var json = JsonSerializer.Serialize(counters, ExperimentsJsonContext.Default.ArmCounters);
        var restored = JsonSerializer.Deserialize(json, ExperimentsJsonContext.Default.ArmCounters)!;

        Assert.Equal("""{"arms":{"A":{"exposures":10,"conversions":1,"conversionValue":3}}}""", json);
        Assert.Equal(counters["A"], restored["A"]);
    }

    [Fact]
    public void Report_compares_every_arm_with_the_control()
    {
        var experiment = Builtin("home", ("A", 50), ("B", 50));
        var counters = new ArmCounters();
        counters.RecordExposure("A", 1000);
        counters.RecordConversion("A", 200, newlyConvertedUsers: 200);
        counters.RecordExposure("B", 1000);
        counters.RecordConversion("B", 250, newlyConvertedUsers: 250);

        var report = ExperimentResults.Build("ns", experiment, counters);

        Assert.Equal(("ns", "home", "builtin", ExperimentMetric.DefaultName, "A"), (report.Namespace, report.Feature, report.Method, report.Metric, report.Control));
        var control = report.Arms[0];
        var treatment = report.Arms[1];
        Assert.True(control.IsControl);
        Assert.Null(control.PValue);
        Assert.Equal(0.2, control.ConversionRate);
        Assert.Equal(0.176377090, control.ConfidenceInterval!.Lower, 8);
        Assert.False(treatment.IsControl);
        Assert.Equal(0.25, treatment.ConversionRate);
        Assert.Equal(0.007419649, treatment.PValue!.Value, 6);
        Assert.Equal(1000, treatment.UsersExposed);
        Assert.Equal(250, treatment.Conversions);
    }

    [Fact]
    public void A_report_with_no_exposures_serializes_without_nan()
    {
        var experiment = Builtin("home", ("A", 1), ("B", 1));
        var counters = new ArmCounters();
        counters.RecordExposure("retired", 5);

        var report = ExperimentResults.Build("ns", experiment, counters);
        var json = JsonSerializer.Serialize(report, ExperimentsJsonContext.Default.ExperimentReport);

        Assert.DoesNotContain("NaN", json);
        Assert.DoesNotContain("Infinity", json);
        using var document = JsonDocument.Parse(json);
        var arms = document.RootElement.GetProperty("arms");
        Assert.Equal(3, arms.GetArrayLength());
        var b = arms[1];
        Assert.Equal(0, b.GetProperty("usersExposed").GetInt64());
        Assert.Equal(JsonValueKind.Null, b.GetProperty("conversionRate").ValueKind);
        Assert.Equal(JsonValueKind.Null, b.GetProperty("confidenceInterval").ValueKind);
        Assert.Equal(JsonValueKind.Null, b.GetProperty("pValue").ValueKind);
        Assert.Equal("retired", arms[2].GetProperty("variation").GetString());
        Assert.False(arms[2].GetProperty("isArm").GetBoolean());
        Assert.Equal(0.0, arms[2].GetProperty("conversionRate").GetDouble());
    }

    [Fact]
    public void Conversions_above_exposures_are_capped_for_rates()
    {
        var experiment = Builtin("home", ("A", 1), ("B", 1));
        var counters = new ArmCounters();
        counters.RecordExposure("A", 2);
        counters.RecordConversion("A", 5, newlyConvertedUsers: 5);

        var control = ExperimentResults.Build("ns", experiment, counters).Arms[0];

        Assert.Equal(5, control.Conversions);
        Assert.Equal(1.0, control.ConversionRate);
        Assert.True(control.ConfidenceInterval!.Upper <= 1.0);
    }
}
