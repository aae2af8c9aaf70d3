using Personalization.Grains.Configuration;
using Personalization.Grains.Recommenders.Personalize;
using Xunit;

namespace Personalization.Grains.Tests.Recommenders.Personalize;

public sealed class LookAheadTests
{
    private static ResponsePostProcessorConfig PostProcessor(double? multiplier, double? maximum) => new("lambda", "arn:aws:lambda:us-east-1:123456789012:function:pp", multiplier, maximum);

    [Theory]
    [InlineData(10, null, null, 10)]
    [InlineData(600, null, null, 500)]
    [InlineData(10, 3d, 40d, 30)]
    [InlineData(20, 3d, 40d, 40)]
    [InlineData(50, 3d, 40d, 50)]
    [InlineData(10, 2.5d, null, 25)]
    [InlineData(300, 4d, 10000d, 500)]
    public void Look_ahead_is_min_of_multiplied_and_maximum_never_below_asked_never_above_500(int requested, double? multiplier, double? maximum, int expected)
    {
        var postProcessor = multiplier is null && maximum is null ? null : PostProcessor(multiplier, maximum);
        Assert.Equal(expected, LookAhead.NumResults(requested, postProcessor));
    }

    [Fact]
    public void Without_a_post_processor_numResults_passes_through()
    {
        Assert.Equal(10, LookAhead.NumResults(10, null));
        Assert.Equal(10, LookAhead.NumResults(10, PostProcessor(null, null)));
    }
}
