using Xunit;
using FsCheck;
using FsCheck.Fluent;
using Personalization.Grains.Experiments;
using Personalization.TestSupport;
using static Personalization.Grains.Tests.Experiments.ExperimentFixtures;

namespace Personalization.Grains.Tests.Experiments;

public sealed class ExperimentAssignerTests
{
    // Chi-square critical values at p = 0.001: a correct splitter fails these about once in a thousand seeds, and
    // the users are fixed, so the outcome is deterministic.
    private const double ChiSquare1DegreeP001 = 10.828;
    private const double ChiSquare2DegreesP001 = 13.816;

    private readonly ManualTimeProvider _time = new();

    [Fact]
    public void Splits_users_by_weight_within_chi_square_tolerance()
    {
        var experiment = Builtin("home-page", ("A", 50), ("B", 30), ("C", 20));
        var assigner = new ExperimentAssigner([experiment], _time);

        var counts = Count(SampleUsers(20_000).Select(user => assigner.Assign(experiment, user)));

        Assert.True(counts.Values.Sum() == 20_000 && counts.Count == 3, string.Join(", ", counts));
        var chiSquare = ChiSquare(counts, new() { ["A"] = 10_000, ["B"] = 6_000, ["C"] = 4_000 });
        Assert.True(chiSquare < ChiSquare2DegreesP001, $"chi-square {chiSquare:F2} with counts {string.Join(", ", counts)}");
    }

    [Fact]
    public void Every_counted_assignment_is_a_rule_match()
    {
        var experiment = Builtin("home-page", ("A", 1), ("B", 1));
        var assigner = new ExperimentAssigner([experiment], _time);

        var assignment = assigner.Assign(experiment, "user-1");

        Assert.True(assignment.IsInExperiment);
        Assert.Equal(AssignmentReason.ExperimentRuleMatch, assignment.Reason);
    }

    [Fact]
    public void Another_silo_or_a_restart_assigns_exactly_the_same()
    {
        const string json = """{"method": "builtin", "salt": "s1", "arms": {"A": {"weight": 2}, "B": {"weight": 1}, "C": {"weight": 1}}}""";
        var siloOne = Parse(json);
        var siloTwo = Parse(json);
        var first = new ExperimentAssigner([siloOne], _time);
        var second = new ExperimentAssigner([siloTwo], new ManualTimeProvider());

        foreach (var user in SampleUsers(5_000))
        {
            Assert.Equal(first.Assign(siloOne, user), second.Assign(siloTwo, user));
            Assert.Equal(first.Assign(siloOne, user), first.Assign(siloOne, user));
        }
    }

    [Fact]
    public void Assignment_is_pinned_so_a_code_change_cannot_reshuffle_running_experiments()
    {
        // Regression pin: these values came from this implementation (XXH64 + weighted rendezvous). If this fails,
        // users of every running experiment would switch arms after the deploy.
        var experiment = Parse("""{"method": "builtin", "salt": "pin", "arms": {"A": {"weight": 1}, "B": {"weight": 1}, "C": {"weight": 1}}}""");
        var assigner = new ExperimentAssigner([experiment], _time);

        var actual = string.Concat(SampleUsers(24).Select(user => assigner.Assign(experiment, user).VariationKey));

        Assert.Equal(PinnedAssignments, actual);
    }

    private const string PinnedAssignments = "AAAAABCACBBACBAAAACABAAC";

    [Fact]
    public void Changing_the_salt_reshuffles_users()
    {
        var one = Builtin("f", ("A", 1), ("B", 1));
        var other = new ExperimentDefinition
        {
            Feature = one.Feature, Method = one.Method, Salt = "another", Arms = one.Arms, Control = one.Control, DefaultVariation = one.DefaultVariation,
        };
        var assigner = new ExperimentAssigner([one, other], _time);

        var same = SampleUsers(2_000).Count(user => assigner.Assign(one, user).VariationKey == assigner.Assign(other, user).VariationKey);

        // Independent 50/50 splits agree for about half the users, not for all of them.
        Assert.InRange(same, 850, 1_150);
    }

    [Fact]
    public void Raising_an_arm_weight_only_moves_users_into_that_arm()
    {
        var scenarios =
            from salt in Gen.Choose(0, 1_000_000)
            from weights in Gen.Choose(0, 100).ArrayOf().Where(w => w.Length is >= 2 and <= 6 && w.Any(x => x > 0))
            from grow in Gen.Choose(0, weights.Length - 1)
            from increase in Gen.Choose(1, 200)
            select (Salt: $"salt-{salt}", Weights: weights, Grow: grow, Increase: increase);

        var property = Prop.ForAll(scenarios.ToArbitrary(), scenario =>
        {
            var keys = scenario.Weights.Select((_, i) => $"arm{i}").ToArray();
            var before = WithWeights(scenario.Salt, keys, scenario.Weights.Select(w => (double)w).ToArray());
            var grownWeights = scenario.Weights.Select((w, i) => (double)(i == scenario.Grow ? w + scenario.Increase : w)).ToArray();
            var after = WithWeights(scenario.Salt, keys, grownWeights);
            var assignBefore = new ExperimentAssigner([before], _time);
            var assignAfter = new ExperimentAssigner([after], _time);

            return SampleUsers(300).All(user =>
            {
                var was = assignBefore.Assign(before, user).VariationKey;
                var now = assignAfter.Assign(after, user).VariationKey;
                return now == was || now == keys[scenario.Grow];
            });
        });

        Check.QuickThrowOnFailure(property);
    }

    [Fact]
    public void Adding_an_arm_only_moves_users_into_the_new_arm()
    {
        var before = Builtin("f", ("A", 1), ("B", 1));
        var after = Builtin("f", ("A", 1), ("B", 1), ("C", 1));
        var assigner = new ExperimentAssigner([before, after], _time);

        var moved = 0;
        foreach (var user in SampleUsers(3_000))
        {
            var was = assigner.Assign(before, user).VariationKey;
            var now = assigner.Assign(after, user).VariationKey;
            Assert.True(now == was || now == "C", $"{user} moved from {was} to {now}");
            moved += now == "C" ? 1 : 0;
        }

        Assert.InRange(moved, 850, 1_150);
    }

    [Fact]
    public void An_arm_with_zero_weight_gets_nobody()
    {
        var experiment = Builtin("f", ("A", 1), ("B", 0), ("C", 1));
        var assigner = new ExperimentAssigner([experiment], _time);

        Assert.DoesNotContain(SampleUsers(2_000), user => assigner.Assign(experiment, user).VariationKey == "B");
    }

    [Fact]
    public void Holdout_serves_the_control_to_its_fraction_without_counting_and_leaves_the_split_intact()
    {
        var experiment = With(Builtin("f", ("A", 1), ("B", 1), ("C", 2)), holdout: 0.1, control: "B");
        var assigner = new ExperimentAssigner([experiment], _time);

        var assignments = SampleUsers(20_000).Select(user => assigner.Assign(experiment, user)).ToList();
        var heldOut = assignments.Where(a => a.Reason == AssignmentReason.Holdout).ToList();

        Assert.All(heldOut, a => Assert.Equal(new Assignment("B", false, AssignmentReason.Holdout), a));
        var holdoutChiSquare = ChiSquare(
            new() { ["out"] = heldOut.Count, ["in"] = 20_000 - heldOut.Count },
            new() { ["out"] = 2_000, ["in"] = 18_000 });
        Assert.True(holdoutChiSquare < ChiSquare1DegreeP001, $"{heldOut.Count} held out of 20000");

        var counted = assignments.Where(a => a.IsInExperiment).ToList();
        var expected = counted.Count;
        var armChiSquare = ChiSquare(Count(counted), new() { ["A"] = expected / 4.0, ["B"] = expected / 4.0, ["C"] = expected / 2.0 });
        Assert.True(armChiSquare < ChiSquare2DegreesP001, $"arm chi-square {armChiSquare:F2}");
    }

    [Fact]
    public void Experiments_in_one_layer_never_share_a_user_and_split_by_layer_weight()
    {
        var small = With(Builtin("small", ("A", 1), ("B", 1)), layer: "checkout", layerWeight: 1);
        var large = With(Builtin("large", ("X", 1), ("Y", 1)), layer: "checkout", layerWeight: 3);
        var outside = Builtin("other", ("A", 1), ("B", 1));
        var assigner = new ExperimentAssigner([small, large, outside], _time);

        var inSmall = 0;
        foreach (var user in SampleUsers(8_000))
        {
            var s = assigner.Assign(small, user);
            var l = assigner.Assign(large, user);
            Assert.True(s.IsInExperiment ^ l.IsInExperiment, $"{user}: small {s}, large {l}");
            var notIn = s.IsInExperiment ? l : s;
            Assert.Equal(AssignmentReason.NotInLayerSlot, notIn.Reason);
            Assert.Equal(notIn == l ? "X" : "A", notIn.VariationKey);
            Assert.True(assigner.Assign(outside, user).IsInExperiment);
            inSmall += s.IsInExperiment ? 1 : 0;
        }

        var chiSquare = ChiSquare(new() { ["small"] = inSmall, ["large"] = 8_000 - inSmall }, new() { ["small"] = 2_000, ["large"] = 6_000 });
        Assert.True(chiSquare < ChiSquare1DegreeP001, $"{inSmall} of 8000 in the small experiment");
    }

    [Fact]
    public void A_finished_layer_member_keeps_its_slot()
    {
        var finished = With(Builtin("finished", ("A", 1), ("B", 1)), layer: "L", end: _time.GetUtcNow().AddDays(-1));
        var running = With(Builtin("running", ("X", 1), ("Y", 1)), layer: "L");
        var assigner = new ExperimentAssigner([finished, running], _time);

        var reasons = SampleUsers(2_000).Select(user => assigner.Assign(running, user).Reason).ToList();

        Assert.Contains(AssignmentReason.NotInLayerSlot, reasons);
        Assert.Contains(AssignmentReason.ExperimentRuleMatch, reasons);
        Assert.All(SampleUsers(50), user => Assert.Equal(AssignmentReason.NotRunning, assigner.Assign(finished, user).Reason));
    }

    [Fact]
    public void Layer_members_need_distinct_salts()
    {
        var one = With(Builtin("one", ("A", 1)), layer: "L", salt: "same");
        var two = With(Builtin("two", ("A", 1)), layer: "L", salt: "same");

        var error = Assert.Single(ExperimentAssigner.Validate([one, two]));
        Assert.Contains("layer 'L'", error);
        Assert.Throws<ArgumentException>(() => new ExperimentAssigner([one, two], _time));
    }

    [Fact]
    public void Overrides_win_over_everything_and_are_not_counted()
    {
        var tomorrow = _time.GetUtcNow().AddDays(1);
        var notYetStarted = With(Builtin("f", ("A", 1), ("B", 1)), start: tomorrow, overrides: new() { ["qa-1"] = "B", ["qa-2"] = "Z" });
        var assigner = new ExperimentAssigner([notYetStarted], _time);

        Assert.Equal(new Assignment("B", false, AssignmentReason.Override), assigner.Assign(notYetStarted, "qa-1"));
        Assert.Equal(new Assignment("Z", false, AssignmentReason.Override), assigner.Assign(notYetStarted, "qa-2"));
        Assert.Equal(new Assignment("A", false, AssignmentReason.NotRunning), assigner.Assign(notYetStarted, "someone"));
    }

    [Fact]
    public void Serves_the_default_variation_outside_the_start_and_end_instants()
    {
        var start = _time.GetUtcNow().AddHours(1);
        var end = start.AddDays(7);
        var experiment = With(Builtin("f", ("A", 0), ("B", 1)), start: start, end: end);
        var assigner = new ExperimentAssigner([experiment], _time);

        Assert.Equal(new Assignment("A", false, AssignmentReason.NotRunning), assigner.Assign(experiment, "u"));
        _time.SetUtcNow(start);
        Assert.Equal(new Assignment("B", true, AssignmentReason.ExperimentRuleMatch), assigner.Assign(experiment, "u"));
        _time.SetUtcNow(end.AddTicks(-1));
        Assert.True(assigner.Assign(experiment, "u").IsInExperiment);
        _time.SetUtcNow(end);
        Assert.Equal(new Assignment("A", false, AssignmentReason.NotRunning), assigner.Assign(experiment, "u"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Without_a_user_serves_the_default_variation(string? userId)
    {
        var experiment = Builtin("f", ("A", 0), ("B", 1));
        var assigner = new ExperimentAssigner([experiment], _time);

        Assert.Equal(new Assignment("A", false, AssignmentReason.NoUser), assigner.Assign(experiment, userId));
    }

    [Fact]
    public void An_evidently_experiment_over_a_single_variation_is_no_experiment()
    {
        var experiment = ExperimentDefinition.FromJson(Json("""{"method": "evidently", "project": "p"}"""), "f", ["only"], out var errors)!;
        Assert.Empty(errors);
        var assigner = new ExperimentAssigner([experiment], _time);

        Assert.Equal(Assignment.NoExperiment("only"), assigner.Assign(experiment, "u"));
    }

    [Fact]
    public void Rejects_an_experiment_it_was_not_built_with()
    {
        var assigner = new ExperimentAssigner([Builtin("f", ("A", 1))], _time);

        Assert.Throws<ArgumentException>(() => assigner.Assign(Builtin("f", ("A", 1)), "u"));
    }

    [Fact]
    public void Assigning_does_not_allocate()
    {
        var layered = With(Builtin("layered", ("A", 1), ("B", 2)), layer: "L", holdout: 0.2, overrides: new() { ["qa"] = "B" });
        var neighbour = With(Builtin("neighbour", ("X", 1)), layer: "L");
        var assigner = new ExperimentAssigner([layered, neighbour], _time);
        var users = SampleUsers(200).Append(new string('u', 400)).Append("qa").ToArray();
        foreach (var user in users)
        {
            assigner.Assign(layered, user);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        foreach (var user in users)
        {
            assigner.Assign(layered, user);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private static ExperimentDefinition WithWeights(string salt, string[] keys, double[] weights) => new()
    {
        Feature = "f",
        Method = ExperimentMethod.Builtin,
        Salt = salt,
        Arms = keys.Select((key, i) => new ExperimentArm(key, weights[i])).ToArray(),
        Control = keys[0],
        DefaultVariation = keys[0],
    };

    private static ExperimentDefinition With(
        ExperimentDefinition definition,
        double holdout = 0,
        string? control = null,
        string? layer = null,
        double layerWeight = 1,
        string? salt = null,
        DateTimeOffset? start = null,
        DateTimeOffset? end = null,
        Dictionary<string, string>? overrides = null) => new()
        {
            Feature = definition.Feature,
            Method = definition.Method,
            Salt = salt ?? definition.Salt,
            Arms = definition.Arms,
            Control = control ?? definition.Control,
            DefaultVariation = definition.DefaultVariation,
            Holdout = holdout,
            Layer = layer,
            LayerWeight = layerWeight,
            Start = start,
            End = end,
            Overrides = overrides ?? definition.Overrides,
        };

    private static ExperimentDefinition Parse(string json)
    {
        var definition = ExperimentDefinition.FromJson(Json(json), "f", ["A", "B", "C"], out var errors);
        Assert.Empty(errors);
        return definition!;
    }

    private static System.Text.Json.JsonElement Json(string json) => System.Text.Json.JsonDocument.Parse(json).RootElement;

    private static Dictionary<string, int> Count(IEnumerable<Assignment> assignments) =>
        assignments.GroupBy(a => a.VariationKey).ToDictionary(g => g.Key, g => g.Count());

    private static double ChiSquare(Dictionary<string, int> observed, Dictionary<string, double> expected) =>
        expected.Sum(e => Math.Pow(observed.GetValueOrDefault(e.Key) - e.Value, 2) / e.Value);
}
