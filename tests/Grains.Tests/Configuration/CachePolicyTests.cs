using Personalization.Grains.Configuration;
using Xunit;

namespace Personalization.Grains.Tests.Configuration;

public class CachePolicyTests
{
    [Theory]
    [InlineData(10, null, "max-age=10", 10)]
    [InlineData(10, "private", "private, max-age=10", 10)]
    [InlineData(300, "public, must-revalidate", "public, must-revalidate, max-age=300", 300)]
    [InlineData(null, "no-cache", "no-cache", 0)]
    [InlineData(0, "no-store", "no-store", 0)]
    [InlineData(60, "private, no-store", "private, no-store", 0)]
    [InlineData(0, null, "max-age=0", 0)]
    [InlineData(null, null, null, 0)]
    [InlineData(null, "  ", null, 0)]
    public void Header_value_follows_the_spec_without_its_defect(int? maxAge, string? directives, string? header, int effective)
    {
        var policy = new CachePolicy(maxAge, directives, null);

        Assert.Equal(header, policy.HeaderValue);
        Assert.Equal(effective, policy.EffectiveMaxAge);
    }

    [Fact]
    public void Header_value_is_computed_once()
    {
        var policy = new CachePolicy(5, "private", 2);

        Assert.Same(policy.HeaderValue, policy.HeaderValue);
        Assert.Equal(2, policy.StaleWhileRevalidate);
    }
}
