using Amazon.Runtime;

namespace Personalization.Aws.Credentials;

/// <summary>Supplies the credentials to sign the next request with.</summary>
public interface IAwsCredentialsSource
{
    ValueTask<ImmutableCredentials> GetCredentialsAsync(CancellationToken cancellationToken);
}
