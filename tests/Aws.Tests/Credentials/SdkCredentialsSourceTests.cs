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
    public async Task Credentials_without_a_known_expiry_are_left_to_the_provider_cache()
    {
        var provider = new ExpiringCredentials(TimeProvider.System, lifetime: null);
        var source = new SdkCredentialsSource(provider);

        var a = await source.GetCredentialsAsync(CancellationToken.None);
        var b = await source.GetCredentialsAsync(CancellationToken.None);

        Assert.Equal(["key-1", "key-2"], new[] { a.AccessKey, b.AccessKey });
    }

    [Fact]
    public async Task Static_sdk_credentials_pass_through()
    {
        var source = new SdkCredentialsSource(new BasicAWSCredentials("AKID", "secret"));

        var credentials = await source.GetCredentialsAsync(CancellationToken.None);

        Assert.Equal(("AKID", "secret", false), (credentials.AccessKey, credentials.SecretKey, credentials.UseToken));
    }

    private sealed class ExpiringCredentials(TimeProvider time, TimeSpan? lifetime) : AWSCredentials
    {
        public int Calls { get; private set; }

        public override ImmutableCredentials GetCredentials()
        {
            Calls++;
            Expiration = lifetime is { } span ? time.GetUtcNow().UtcDateTime + span : null;
            return new ImmutableCredentials("key-" + Calls, "secret", "token");
        }

        public override Task<ImmutableCredentials> GetCredentialsAsync() => Task.FromResult(GetCredentials());
    }
}
