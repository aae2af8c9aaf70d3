using System.Text.Json;
using Personalization.Grains.Experiments;
using Xunit;
using static Personalization.Grains.Tests.Experiments.ExperimentFixtures;

namespace Personalization.Grains.Tests.Experiments;

/// <summary>The plain-words verdict and the lift of <see cref="ExperimentResults.Build"/>, against <see cref="VerdictRules"/>.</summary>
public sealed class ExperimentVerdictsTests
{
    [Fact]
    public void Lift_is_relative_to_the_control_rate_and_undefined_for_the_control_or_a_zero_baseline()
    {
        var report = Report(Builtin("home", ("A", 1), ("B", 1), ("C", 1)), ("A", 1000, 200), ("B", 1000, 250), ("C", 1000, 150));

        Assert.Null(report.Arms[0].Lift);
        Assert.Equal(0.25, report.Arms[1].Lift!.Value, 12);
        Assert.Equal(-0.25, report.Arms[2].Lift!.Value, 12);
        Assert.Null(Report(Builtin("home", ("A", 1), ("B", 1)), ("A", 10, 0), ("B", 10, 3)).Arms[1].Lift);
        Assert.Null(Report(Builtin("home", ("A", 1), ("B", 1)), ("A", 10, 1)).Arms[1].Lift);
    }

    [Fact]
    public void An_arm_significantly_above_the_control_is_named_better()
    {
        var verdict = Report(Builtin("home", ("A", 1), ("B", 1)), ("A", 1000, 200), ("B", 1000, 250)).Verdict;

        Assert.Equal(VerdictOutcome.ArmBetter, verdict.Outcome);
        Assert.Equal("B", verdict.Arm);
        Assert.Equal(
            "B better: it converts 25.00% of exposed users against 20.00% for control A (lift +25.00%, p = 0.0074; significance level 0.05).",
            verdict.Summary);
    }

    [Fact]
    public void The_control_is_better_only_when_every_arm_is_significantly_below_it()
    {
        var worse = Report(Builtin("home", ("A", 1), ("B", 1)), ("A", 1000, 200), ("B", 1000, 150)).Verdict;
        Assert.Equal((VerdictOutcome.ArmBetter, "A"), (worse.Outcome, worse.Arm));
        Assert.StartsWith("A (the control) better: it converts 20.00% of exposed users against B 15.00% (p = 0.0033)", worse.Summary, StringComparison.Ordinal);

        var mixed = Report(Builtin("home", ("A", 1), ("B", 1), ("C", 1)), ("A", 1000, 200), ("B", 1000, 150), ("C", 1000, 210)).Verdict;
        Assert.Equal((VerdictOutcome.NoDifferenceYet, (string?)null), (mixed.Outcome, mixed.Arm));
        Assert.EndsWith("; worse than the control: B.", mixed.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Close_rates_are_no_difference_yet()
    {
        var verdict = Report(Builtin("home", ("A", 1), ("B", 1)), ("A", 1000, 200), ("B", 1000, 210)).Verdict;

        Assert.Equal(VerdictOutcome.NoDifferenceYet, verdict.Outcome);
        Assert.Null(verdict.Arm);
        Assert.Equal("No difference yet: no arm converts better than control A (significance level 0.05).", verdict.Summary);
    }

    [Fact]
    public void The_significance_level_is_split_over_the_arms_compared_with_the_control()
    {
        // p = 0.0399: below 0.05 with one arm compared, above 0.025 with two.
        var one = Report(Builtin("home", ("A", 1), ("B", 1)), ("A", 1000, 200), ("B", 1000, 238)).Verdict;
        var two = Report(Builtin("home", ("A", 1), ("B", 1), ("C", 1)), ("A", 1000, 200), ("B", 1000, 238), ("C", 1000, 200)).Verdict;

        Assert.Equal((VerdictOutcome.ArmBetter, "B"), (one.Outcome, one.Arm));
        Assert.Equal(VerdictOutcome.NoDifferenceYet, two.Outcome);
        Assert.Contains("significance level 0.025 per arm, 0.05 split over 2 arms", two.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Below_the_minimum_sample_the_verdict_is_not_enough_data_whatever_the_p_value()
    {
        var fewUsers = VerdictRules.MinimumUsersPerArm - 1;
        // 0 of 99 against 60 of 99 would be "significant" by the z-test alone.
        var small = Report(Builtin("home", ("A", 1), ("B", 1)), ("A", fewUsers, 0), ("B", fewUsers, 60)).Verdict;
        Assert.Equal(VerdictOutcome.NotEnoughData, small.Outcome);
        Assert.Null(small.Arm);
        Assert.Equal(
            $"Not enough data yet: A has {fewUsers} exposed users of the {VerdictRules.MinimumUsersPerArm} each arm needs; B has {fewUsers} exposed users of the {VerdictRules.MinimumUsersPerArm} each arm needs.",
            small.Summary);

        var fewConversions = Report(Builtin("home", ("A", 1), ("B", 1)), ("A", 5000, 2), ("B", 5000, VerdictRules.MinimumConversionsPerComparison - 3)).Verdict;
        Assert.Equal(VerdictOutcome.NotEnoughData, fewConversions.Outcome);
        Assert.Contains($"A and B have {VerdictRules.MinimumConversionsPerComparison - 1} conversions together of the {VerdictRules.MinimumConversionsPerComparison} a comparison needs", fewConversions.Summary, StringComparison.Ordinal);

        var atThreshold = Report(Builtin("home", ("A", 1), ("B", 1)), ("A", VerdictRules.MinimumUsersPerArm, 5), ("B", VerdictRules.MinimumUsersPerArm, 5)).Verdict;
        Assert.Equal(VerdictOutcome.NoDifferenceYet, atThreshold.Outcome);
    }

    [Fact]
    public void Unweighted_arms_without_exposures_and_retired_variations_are_not_judged()
    {
        var verdict = Report(Builtin("home", ("A", 1), ("B", 1), ("off", 0)), ("A", 1000, 200), ("B", 1000, 250), ("retired", 3, 3)).Verdict;

        Assert.Equal((VerdictOutcome.ArmBetter, "B"), (verdict.Outcome, verdict.Arm));
        Assert.Contains("significance level 0.05)", verdict.Summary, StringComparison.Ordinal);

        var alone = Report(Builtin("home", ("A", 1), ("off", 0)), ("A", 1000, 200)).Verdict;
        Assert.Equal(VerdictOutcome.NotEnoughData, alone.Outcome);
        Assert.Equal("Nothing to compare: the experiment has no arm besides control A.", alone.Summary);
    }

    [Fact]
    public void Verdict_and_lift_are_in_the_json_report()
    {
        var report = Report(Builtin("home", ("A", 1), ("B", 1)), ("A", 1000, 200), ("B", 1000, 250));

        using var json = JsonDocument.Parse(JsonSerializer.Serialize(report, ExperimentsJsonContext.Default.ExperimentReport));

        var verdict = json.RootElement.GetProperty("verdict");
        Assert.Equal("armBetter", verdict.GetProperty("outcome").GetString());
        Assert.Equal("B", verdict.GetProperty("arm").GetString());
        Assert.Equal(report.Verdict.Summary, verdict.GetProperty("summary").GetString());
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("arms")[0].GetProperty("lift").ValueKind);
        Assert.Equal(0.25, json.RootElement.GetProperty("arms")[1].GetProperty("lift").GetDouble(), 12);
    }

    private static ExperimentReport Report(ExperimentDefinition experiment, params (string Variation, long Exposed, long Converted)[] tallies)
    {
        var counters = new ArmCounters();
        foreach (var (variation, exposed, converted) in tallies)
        {
            counters.RecordExposure(variation, exposed);
            counters.RecordConversion(variation, converted, newlyConvertedUsers: converted);
        }

        return ExperimentResults.Build("ns", experiment, counters);
    }
}
