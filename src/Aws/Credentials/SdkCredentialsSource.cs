using Amazon.Runtime;
using Amazon.Runtime.Credentials;

namespace Personalization.Aws.Credentials;

/// <summary>
/// AWSSDK.Core's default chain: environment, profile, web identity (IRSA, via AWSSDK.SecurityToken), container
/// and instance metadata. The resolved provider is kept; refreshing providers cache their credentials and renew
/// them ahead of expiry, and we additionally keep the last snapshot until shortly before it expires.
/// </summary>
public sealed class SdkCredentialsSource : IAwsCredentialsSource
{
    private static readonly TimeSpan RefreshAhead = TimeSpan.FromMinutes(5);
    private readonly Lazy<AWSCredentials> _provider;
    private readonly TimeProvider _timeProvider;
    private volatile Snapshot? _snapshot;

    public SdkCredentialsSource(AWSCredentials? provider = null, TimeProvider? timeProvider = null)
    {
        _provider = new Lazy<AWSCredentials>(() => provider ?? DefaultAWSCredentialsIdentityResolver.GetCredentials());
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    public async ValueTask<ImmutableCredentials> GetCredentialsAsync(CancellationToken cancellationToken)
    {
        var snapshot = _snapshot;
        var now = _timeProvider.GetUtcNow();
        if (snapshot is not null && now < snapshot.RefreshAt)
        {
            return snapshot.Credentials;
        }

        var provider = _provider.Value;
        var credentials = await provider.GetCredentialsAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        var expiration = provider.Expiration;
        _snapshot = new Snapshot(credentials, expiration is { } expires ? new DateTimeOffset(expires.ToUniversalTime(), TimeSpan.Zero) - RefreshAhead : DateTimeOffset.MaxValue);
        return credentials;
    }

    private sealed record Snapshot(ImmutableCredentials Credentials, DateTimeOffset RefreshAt);
}
