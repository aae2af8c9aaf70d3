using Microsoft.Extensions.DependencyInjection;
using Personalization.Aws.AppConfigData;
using Personalization.Aws.Firehose;
using Personalization.Aws.Kinesis;
using Personalization.Aws.Personalize.Control;
using Personalization.Aws.Personalize.Events;
using Personalization.Aws.Personalize.Runtime;
using Xunit;

namespace Personalization.Aws.Tests.Configuration;

public sealed class AwsServiceCollectionExtensionsTests
{
    [Fact]
    public void Every_client_resolves_from_one_shared_factory()
    {
        var services = new ServiceCollection().AddAwsClients(o =>
        {
            o.Region = "eu-central-1";
            o.AccessKeyId = "AKID";
            o.SecretAccessKey = "secret";
        });
        using var provider = services.BuildServiceProvider();

        Assert.IsType<PersonalizeRuntimeClient>(provider.GetRequiredService<IPersonalizeRuntimeClient>());
        Assert.IsType<PersonalizeEventsClient>(provider.GetRequiredService<IPersonalizeEventsClient>());
        Assert.IsType<PersonalizeClient>(provider.GetRequiredService<IPersonalizeClient>());
        Assert.IsType<KinesisClient>(provider.GetRequiredService<IKinesisClient>());
        Assert.IsType<FirehoseClient>(provider.GetRequiredService<IFirehoseClient>());
        Assert.IsType<AppConfigDataClient>(provider.GetRequiredService<IAppConfigDataClient>());
        Assert.Equal("eu-central-1", provider.GetRequiredService<AwsClientFactory>().Transport.Endpoints.Region);
    }

    [Fact]
    public void Invalid_options_fail_when_the_factory_is_built()
    {
        using var provider = new ServiceCollection().AddAwsClients(o => o.MaxRetries = 99).BuildServiceProvider();

        var error = Assert.Throws<ArgumentException>(() => provider.GetRequiredService<IKinesisClient>());

        Assert.Contains("MaxRetries", error.Message);
    }
}
