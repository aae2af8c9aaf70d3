using Amazon.Runtime;
using Personalization.Aws.Credentials;
using Personalization.TestSupport;
using Xunit;

namespace Personalization.Aws.Tests.Credentials;

public sealed class SdkCredentialsSourceTests
{
    [Fact]
    public async Task Credentials_are_cached_until_shortly_before_they_expire()
    {
        var time = new ManualTimeProvider();
        var provider = new ExpiringCredentials(time, TimeSpan.FromHours(1));
        var source = new SdkCredentialsSource(provider, time);

        var first = await source.GetCredentialsAsync(CancellationToken.None);
        time.Advance(TimeSpan.FromMinutes(50));
        var cached = await source.GetCredentialsAsync(CancellationToken.None);
        time.Advance(TimeSpan.FromMinutes(6));
        var refreshed = await source.GetCredentialsAsync(CancellationToken.None);

        Assert.Same(first, cached);
        Assert.NotSame(first, refreshed);
        Assert.Equal(["key-1", "key-2"], new[] { first.AccessKey, refreshed.AccessKey });
        Assert.Equal(2, provider.Calls);
    }

    [Fact]
    public async Task Credentials_without_expiry_are_resolved_once()
    {
        var provider = new BasicAWSCredentials("AKID", "secret");
        var source = new SdkCredentialsSource(provider);

        var a = await source.GetCredentialsAsync(CancellationToken.None);
        var b = await source.GetCredentialsAsync(CancellationToken.None);

        Assert.Same(a, b);
        Assert.Equal(("AKID", "secret"), (a.AccessKey, a.SecretKey));
    }

    private sealed class ExpiringCredentials(TimeProvider time, TimeSpan lifetime) : AWSCredentials
    {
        public int Calls { get; private set; }

        public override ImmutableCredentials GetCredentials()
        {
            Calls++;
            Expiration = time.GetUtcNow().UtcDateTime + lifetime;
            return new ImmutableCredentials("key-" + Calls, "secret", "token");
        }

        public override Task<ImmutableCredentials> GetCredentialsAsync() => Task.FromResult(GetCredentials());
    }
}
