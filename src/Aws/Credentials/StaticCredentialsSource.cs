using Amazon.Runtime;

namespace Personalization.Aws.Credentials;

/// <summary>Fixed credentials, for local servers and tests.</summary>
public sealed class StaticCredentialsSource(ImmutableCredentials credentials) : IAwsCredentialsSource
{
    public StaticCredentialsSource(string accessKeyId, string secretAccessKey, string? sessionToken = null)
        : this(new ImmutableCredentials(accessKeyId, secretAccessKey, sessionToken))
    {
    }

    public ValueTask<ImmutableCredentials> GetCredentialsAsync(CancellationToken cancellationToken) => ValueTask.FromResult(credentials);
}
