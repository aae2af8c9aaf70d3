using System.Text;
using System.Text.Json;
using Personalization.Grains.Experiments;
using Xunit;
using static Personalization.Grains.Tests.Experiments.ExperimentFixtures;

namespace Personalization.Grains.Tests.Experiments;

public sealed class MatchedExperimentTests
{
    private const string Expected = """{"type":"builtin","feature":"home","details":{"variation":"B","reason":"EXPERIMENT_RULE_MATCH"}}""";

    [Fact]
    public void A_counted_assignment_is_reported_in_the_original_shape()
    {
        var experiment = Builtin("home", ("A", 1), ("B", 1));
        var matched = MatchedExperiment.For(experiment, new Assignment("B", true, AssignmentReason.ExperimentRuleMatch));

        Assert.NotNull(matched);
        Assert.Equal(Expected, JsonSerializer.Serialize(matched, ExperimentsJsonContext.Default.MatchedExperiment));
    }

    [Fact]
    public void The_direct_writer_produces_the_same_bytes()
    {
        var experiment = Builtin("home", ("A", 1), ("B", 1));
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            MatchedExperiment.Write(writer, experiment, new Assignment("B", true, AssignmentReason.ExperimentRuleMatch));
        }

        Assert.Equal(Expected, Encoding.UTF8.GetString(stream.ToArray()));
    }

    [Fact]
    public void An_evidently_config_reports_type_evidently()
    {
        var experiment = ExperimentDefinition.FromJson(JsonDocument.Parse("""{"method":"evidently"}""").RootElement, "home", ["A", "B"], out _)!;

        Assert.Equal("evidently", MatchedExperiment.For(experiment, new Assignment("A", true, AssignmentReason.ExperimentRuleMatch))!.Type);
    }

    [Theory]
    [InlineData(AssignmentReason.NoExperiment)]
    [InlineData(AssignmentReason.NoUser)]
    [InlineData(AssignmentReason.Override)]
    [InlineData(AssignmentReason.Holdout)]
    [InlineData(AssignmentReason.NotInLayerSlot)]
    [InlineData(AssignmentReason.NotRunning)]
    public void Uncounted_assignments_carry_no_matched_experiment(AssignmentReason reason)
    {
        var experiment = Builtin("home", ("A", 1), ("B", 1));
        var assignment = new Assignment("A", false, reason);

        Assert.Null(MatchedExperiment.For(experiment, assignment));
        using var writer = new Utf8JsonWriter(Stream.Null);
        Assert.Throws<ArgumentException>(() => MatchedExperiment.Write(writer, experiment, assignment));
    }
}
