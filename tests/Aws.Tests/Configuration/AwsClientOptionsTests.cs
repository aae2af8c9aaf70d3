using Personalization.Aws.Configuration;
using Xunit;

namespace Personalization.Aws.Tests.Configuration;

public sealed class AwsClientOptionsTests
{
    [Fact]
    public void Endpoints_default_to_the_regional_service_host()
    {
        var resolver = new AwsEndpointResolver(new AwsClientOptions { Region = "eu-west-1" });

        Assert.Equal(new Uri("https://personalize-runtime.eu-west-1.amazonaws.com"), resolver.Endpoint(AwsService.PersonalizeRuntime));
        Assert.Equal(new Uri("https://appconfigdata.eu-west-1.amazonaws.com"), resolver.Endpoint(AwsService.AppConfigData));
        Assert.Equal(new Uri("https://kinesis.cn-north-1.amazonaws.com.cn"), new AwsEndpointResolver(new AwsClientOptions { Region = "cn-north-1" }).Endpoint(AwsService.Kinesis));
    }

    [Fact]
    public void A_service_url_overrides_one_service_only()
    {
        var options = new AwsClientOptions { Region = "us-east-1" };
        options.ServiceUrls["personalize-events"] = new Uri("https://vpce-1.personalize-events.us-east-1.vpce.amazonaws.com");
        var resolver = new AwsEndpointResolver(options);

        Assert.Equal(options.ServiceUrls["personalize-events"], resolver.Endpoint(AwsService.PersonalizeEvents));
        Assert.Equal(new Uri("https://personalize-runtime.us-east-1.amazonaws.com"), resolver.Endpoint(AwsService.PersonalizeRuntime));
    }

    [Theory]
    [InlineData("timeout")]
    [InlineData("retries")]
    [InlineData("delays")]
    [InlineData("half-credentials")]
    [InlineData("relative-url")]
    public void Invalid_settings_are_rejected_with_the_setting_name(string problem)
    {
        var options = new AwsClientOptions { Region = "us-east-1" };
        var setting = problem switch
        {
            "timeout" => Set(() => options.Timeout = TimeSpan.Zero, "Timeout"),
            "retries" => Set(() => options.MaxRetries = -1, "MaxRetries"),
            "delays" => Set(() => options.RetryBaseDelay = TimeSpan.FromSeconds(10), "RetryBaseDelay"),
            "half-credentials" => Set(() => options.AccessKeyId = "AKID", "SecretAccessKey"),
            _ => Set(() => options.ServiceUrls["kinesis"] = new Uri("/local", UriKind.Relative), "ServiceUrls:kinesis"),
        };

        var error = Assert.Throws<ArgumentException>(options.Validate);

        Assert.Contains(setting, error.Message);
    }

    private static string Set(Action change, string name)
    {
        change();
        return name;
    }
}
