using Personalization.Aws.Credentials;
using Xunit;

namespace Personalization.Aws.Tests.Credentials;

/// <summary>The SDK default chain, steered by environment variables (restored afterwards).</summary>
public sealed class DefaultChainTests
{
    private static readonly string[] Variables =
    [
        "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_WEB_IDENTITY_TOKEN_FILE",
        "AWS_ROLE_ARN", "AWS_ROLE_SESSION_NAME", "AWS_SHARED_CREDENTIALS_FILE", "AWS_CONFIG_FILE",
    ];

    [Fact]
    public void Web_identity_from_the_environment_resolves_through_AWSSDK_SecurityToken()
    {
        var saved = Variables.ToDictionary(v => v, Environment.GetEnvironmentVariable);
        var tokenFile = Path.GetTempFileName();
        try
        {
            foreach (var variable in Variables)
            {
                Environment.SetEnvironmentVariable(variable, null);
            }

            File.WriteAllText(tokenFile, "eyJhbGciOiJub25lIn0.e30.");
            Environment.SetEnvironmentVariable("AWS_SHARED_CREDENTIALS_FILE", Path.Combine(Path.GetTempPath(), "no-such-credentials"));
            Environment.SetEnvironmentVariable("AWS_CONFIG_FILE", Path.Combine(Path.GetTempPath(), "no-such-config"));
            Environment.SetEnvironmentVariable("AWS_WEB_IDENTITY_TOKEN_FILE", tokenFile);
            Environment.SetEnvironmentVariable("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/personalization");

            var provider = new SdkCredentialsSource().Provider;

            Assert.Equal("AssumeRoleWithWebIdentityCredentials", provider.GetType().Name);
        }
        finally
        {
            foreach (var (variable, value) in saved)
            {
                Environment.SetEnvironmentVariable(variable, value);
            }

            File.Delete(tokenFile);
        }
    }
}
