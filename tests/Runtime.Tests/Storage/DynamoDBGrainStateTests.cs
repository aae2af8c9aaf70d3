using Amazon.DynamoDBv2;
using Amazon.Runtime;
using Microsoft.Extensions.DependencyInjection;
using Personalization.Runtime.Testing;
using Personalization.Runtime.Tests.Grains;
using Personalization.TestSupport;

namespace Personalization.Runtime.Tests.Storage;

/// <summary>A grain whose state lives in DynamoDB (dynalite), registered the way a host does it.</summary>
public sealed class DynamoDBGrainStateTests(DynaliteFixture dynalite) : IClassFixture<DynaliteFixture>
{
    [Fact]
    public async Task Grain_state_round_trips_through_DynamoDB_across_restarts()
    {
        using var client = new AmazonDynamoDBClient(
            new BasicAWSCredentials("test", "test"),
            new AmazonDynamoDBConfig { ServiceURL = dynalite.ServiceUrl.ToString(), AuthenticationRegion = "us-east-1" });
        await using var silo = await InProcessSilo.StartAsync(new InProcessSiloOptions
        {
            StorageName = "memory",
            ConfigureServices = services => services
                .AddSingleton<IAmazonDynamoDB>(client)
                .AddSingleton(new Probe())
                .AddDynamoDBGrainStorage("Default", o =>
                {
                    o.TableName = "grain-state-e2e";
                    o.CreateIfNotExists = true;
                }),
        });

        await silo.GrainFactory.GetGrain<IStateGrain>("dyn").SetAsync("persisted");
        await silo.RestartAsync();

        Assert.Equal("persisted", await silo.GrainFactory.GetGrain<IStateGrain>("dyn").GetAsync());
        Assert.Equal("1", await silo.GrainFactory.GetGrain<IStateGrain>("dyn").GetEtagAsync());
        Assert.Equal(0, silo.Store.Count);
    }
}
