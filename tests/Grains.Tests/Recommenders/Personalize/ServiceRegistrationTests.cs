using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Personalization.Aws;
using Personalization.Grains.Configuration;
using Personalization.Grains.Recommenders;
using Personalization.Grains.Recommenders.Http;
using Personalization.Grains.Recommenders.Lambda;
using Personalization.Grains.Recommenders.Personalize;
using Personalization.Grains.Recommenders.SageMaker;
using Xunit;
using static Personalization.Grains.Tests.Recommenders.Personalize.BackendRequests;

namespace Personalization.Grains.Tests.Recommenders.Personalize;

public sealed class ServiceRegistrationTests : LocalAwsTest
{
    [Fact]
    public void AddPersonalizeBackends_serves_personalize_and_http_variations()
    {
        var services = new ServiceCollection().AddAwsClients(o => Copy(Server.ClientOptions(), o)).AddPersonalizeBackends();
        using var provider = services.BuildServiceProvider();

        var backends = new RecommenderBackends(provider.GetServices<IRecommenderBackend>());
        Assert.IsType<PersonalizeRecommenderBackend>(backends.For(Recommender(RecommenderAction.RecommendItems, "for-you").DefaultVariation));
        Assert.IsType<PersonalizeRecommenderBackend>(backends.For(Recommender(RecommenderAction.RecommendItems, "picks").DefaultVariation));
        Assert.IsType<HttpRecommenderBackend>(backends.For(Recommender(RecommenderAction.RecommendItems, "remote").DefaultVariation));
        Assert.IsType<LambdaRecommenderBackend>(backends.For(Recommender(RecommenderAction.RecommendItems, "custom").DefaultVariation));
        Assert.IsType<SageMakerRecommenderBackend>(backends.For(Recommender(RecommenderAction.RecommendItems, "endpoint").DefaultVariation));
    }

    [Fact]
    public void A_type_without_a_registered_backend_is_NotSupported_naming_the_variation()
    {
        var backends = new RecommenderBackends([new HttpRecommenderBackend(new HttpRecommenderOptions(), TimeProvider.System)]);

        var error = Assert.Throws<RecommenderBackendException>(() => backends.For(Recommender(RecommenderAction.RecommendItems, "endpoint").DefaultVariation));

        Assert.Equal((BackendFailure.NotSupported, "VariationTypeNotSupported"), (error.Failure, error.Code));
        Assert.Contains("'sm'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddAppConfigConfiguration_registers_the_source_as_a_hosted_service()
    {
        var services = new ServiceCollection()
            .AddAwsClients(o => Copy(Server.ClientOptions(), o))
            .AddAppConfigConfiguration(o => { o.Application = "a"; o.Environment = "e"; o.Profile = "p"; });
        await using var provider = services.BuildServiceProvider();

        var source = provider.GetRequiredService<AppConfigConfigurationSource>();
        Assert.Same(source, Assert.Single(provider.GetServices<IHostedService>()));
        Assert.Same(source, provider.GetRequiredService<IConfigurationDocumentSource>());
        Assert.Equal("appconfig:a/e/p", source.Origin);
    }

    private static void Copy(Personalization.Aws.Configuration.AwsClientOptions from, Personalization.Aws.Configuration.AwsClientOptions to)
    {
        to.Region = from.Region;
        to.AccessKeyId = from.AccessKeyId;
        to.SecretAccessKey = from.SecretAccessKey;
        foreach (var (service, url) in from.ServiceUrls)
        {
            to.ServiceUrls[service] = url;
        }
    }
}
