using System.Text;
using Personalization.Aws.AppConfigData;
using Personalization.Aws.Errors;
using Xunit;

namespace Personalization.Aws.Tests.Local;

public sealed class AppConfigDataClientTests : LocalServerTest
{
    private static StartConfigurationSessionRequest Session(int? interval = null) => new()
    {
        ApplicationIdentifier = "app",
        EnvironmentIdentifier = "prod",
        ConfigurationProfileIdentifier = "config",
        RequiredMinimumPollIntervalInSeconds = interval,
    };

    [Fact]
    public async Task A_session_sees_each_new_version_once()
    {
        State.AppConfig.SetConfiguration("app", "prod", "config", "{\"v\":1}"u8.ToArray(), "application/json", "v1");
        var client = Clients().CreateAppConfigDataClient();

        var session = await client.StartConfigurationSessionAsync(Session(interval: 120));
        var first = await client.GetLatestConfigurationAsync(new GetLatestConfigurationRequest { ConfigurationToken = session.InitialConfigurationToken! });
        var unchanged = await client.GetLatestConfigurationAsync(new GetLatestConfigurationRequest { ConfigurationToken = first.NextPollConfigurationToken! });
        State.AppConfig.SetConfiguration("app", "prod", "config", "{\"v\":2}"u8.ToArray(), "application/json", "v2");
        var second = await client.GetLatestConfigurationAsync(new GetLatestConfigurationRequest { ConfigurationToken = unchanged.NextPollConfigurationToken! });

        Assert.Equal("{\"v\":1}", Encoding.UTF8.GetString(first.Configuration.Span));
        Assert.Equal(("application/json", "v1", 120), (first.ContentType, first.VersionLabel, first.NextPollIntervalInSeconds));
        Assert.True(unchanged.Configuration.IsEmpty);
        Assert.Equal("{\"v\":2}", Encoding.UTF8.GetString(second.Configuration.Span));
        Assert.Equal("v2", second.VersionLabel);
        Assert.Equal(4, State.Recorded.All.Count);
        Assert.StartsWith("/configuration?configuration_token=", State.Recorded.For("GetLatestConfiguration")[0].Target);
    }

    [Fact]
    public async Task A_used_token_and_an_unknown_profile_are_rejected()
    {
        State.AppConfig.SetConfiguration("app", "prod", "config", "{}"u8.ToArray());
        var client = Clients().CreateAppConfigDataClient();
        var session = await client.StartConfigurationSessionAsync(Session());
        await client.GetLatestConfigurationAsync(new GetLatestConfigurationRequest { ConfigurationToken = session.InitialConfigurationToken! });

        var reused = await Assert.ThrowsAsync<AwsValidationException>(() =>
            client.GetLatestConfigurationAsync(new GetLatestConfigurationRequest { ConfigurationToken = session.InitialConfigurationToken! }));
        var missing = await Assert.ThrowsAsync<AwsResourceNotFoundException>(() =>
            client.StartConfigurationSessionAsync(new StartConfigurationSessionRequest { ApplicationIdentifier = "nope", EnvironmentIdentifier = "prod", ConfigurationProfileIdentifier = "config" }));

        Assert.Equal("BadRequestException", reused.ErrorCode);
        Assert.Equal("ResourceNotFoundException", missing.ErrorCode);
    }

    [Fact]
    public async Task The_default_poll_interval_applies_when_none_is_asked_for()
    {
        State.AppConfig.SetConfiguration("app", "prod", "config", "{}"u8.ToArray());
        var client = Clients().CreateAppConfigDataClient();

        var session = await client.StartConfigurationSessionAsync(Session());
        var latest = await client.GetLatestConfigurationAsync(new GetLatestConfigurationRequest { ConfigurationToken = session.InitialConfigurationToken! });

        Assert.Equal(State.Options.DefaultPollIntervalSeconds, latest.NextPollIntervalInSeconds);
    }
}
