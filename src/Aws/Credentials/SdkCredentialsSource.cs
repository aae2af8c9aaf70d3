using Amazon.Runtime;
using Amazon.Runtime.Credentials;

namespace Personalization.Aws.Credentials;

/// <summary>
/// AWSSDK.Core's default chain: environment, profile, web identity (IRSA, via AWSSDK.SecurityToken), container
/// and instance metadata. The chain is resolved once. Credentials with a known expiry are kept until five minutes
/// before it and then fetched again; without one, every call asks the provider, whose own cache (refreshing
/// providers renew ahead of expiry) then decides.
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

    /// <summary>The provider the chain resolved to (resolving it on first use).</summary>
    public AWSCredentials Provider => _provider.Value;

    public async ValueTask<ImmutableCredentials> GetCredentialsAsync(CancellationToken cancellationToken)
    {
        var snapshot = _snapshot;
        var now = _timeProvider.GetUtcNow();
        if (snapshot is not null && now < snapshot.RefreshAt)
        {
            return snapshot.Credentials;
        }

        var provider = Provider;
        var credentials = await provider.GetCredentialsAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        _snapshot = provider.Expiration is { } expires
            ? new Snapshot(credentials, new DateTimeOffset(expires.ToUniversalTime(), TimeSpan.Zero) - RefreshAhead)
            : null;
        return credentials;
    }

    private sealed record Snapshot(ImmutableCredentials Credentials, DateTimeOffset RefreshAt);
}
