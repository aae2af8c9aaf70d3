using Amazon.DynamoDBv2;
using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Orleans.Runtime;
using Orleans.TestingHost;
using Personalization.TestSupport;

namespace Personalization.Orleans.Persistence.DynamoDB.Tests;

public interface IProfileGrain : IGrainWithStringKey
{
    Task SetAsync(string name);

    Task<string?> GetAsync();

    Task<string?> GetEtagAsync();

    Task ClearAsync();

    /// <summary>Differs per activation, so a test can tell that the grain was really deactivated.</summary>
    Task<Guid> GetActivationAsync();
}

public sealed class ProfileGrainState
{
    public string? Name { get; set; }
}

/// <summary>A grain with [PersistentState] and no storage name: it uses the silo's default grain storage.</summary>
public sealed class ProfileGrain([PersistentState("profile")] IPersistentState<ProfileGrainState> profile) : Grain, IProfileGrain
{
    private readonly Guid _activation = Guid.NewGuid();

    public Task SetAsync(string name)
    {
        profile.State.Name = name;
        return profile.WriteStateAsync();
    }

    public Task<string?> GetAsync() => Task.FromResult(profile.State.Name);

    public Task<string?> GetEtagAsync() => Task.FromResult(profile.Etag);

    public Task ClearAsync() => profile.ClearStateAsync();

    public Task<Guid> GetActivationAsync() => Task.FromResult(_activation);
}

/// <summary>The provider registered the Orleans way in real in-process silos (ported: DynamoDBGrainStateTests).</summary>
[Collection(DynaliteCollection.Name)]
public sealed class SiloHostingTests(DynaliteFixture dynalite)
{
    [Fact]
    public async Task Grain_state_round_trips_through_DynamoDB_across_deactivation_and_a_new_cluster()
    {
        using var client = StorageFactory.CreateClient(dynalite);
        var table = StorageFactory.NewTableName();
        var serviceId = "silo-test-" + Guid.NewGuid().ToString("N")[..8];
        string? etag;
        string hashKey;

        await using (var cluster = await StartClusterAsync(client, table, serviceId))
        {
            var grain = cluster.Client.GetGrain<IProfileGrain>("user-42");
            await grain.SetAsync("persisted");
            etag = await grain.GetEtagAsync();
            var activation = await grain.GetActivationAsync();

            await cluster.DeactivateAsync(grain);

            Assert.NotEqual(activation, await grain.GetActivationAsync());
            Assert.Equal(("persisted", etag), (await grain.GetAsync(), await grain.GetEtagAsync()));

            // The table was created by the lifecycle participant's Init (so it was registered unkeyed), and the item
            // sits under this cluster's ServiceId.
            hashKey = $"{serviceId}_{grain.GetGrainId()}";
            using var factory = new StorageFactory(dynalite);
            var item = await factory.RawItemAsync(table, hashKey, "profile");
            Assert.Equal(etag, item?["ETag"].S);
        }

        // Ported "across restarts": a whole new cluster with the same ServiceId reads what the first one wrote.
        await using (var cluster = await StartClusterAsync(client, table, serviceId))
        {
            var grain = cluster.Client.GetGrain<IProfileGrain>("user-42");
            Assert.Equal(("persisted", etag), (await grain.GetAsync(), await grain.GetEtagAsync()));

            await grain.ClearAsync();
            await cluster.DeactivateAsync(grain);

            Assert.Equal(((string?)null, (string?)null), (await grain.GetAsync(), await grain.GetEtagAsync()));
            using var factory = new StorageFactory(dynalite);
            Assert.Null(await factory.RawItemAsync(table, hashKey, "profile"));
        }

        // The injected client was not disposed by either silo.
        Assert.Equal(table, (await client.DescribeTableAsync(table)).Table.TableName);
    }

    private static async Task<InProcessTestCluster> StartClusterAsync(IAmazonDynamoDB client, string table, string serviceId)
    {
        var builder = new InProcessTestClusterBuilder(1);
        builder.Options.ServiceId = serviceId;
        builder.ConfigureSilo((_, silo) =>
        {
            silo.Services.AddSingleton(client);
            silo.AddDynamoDBGrainStorageAsDefault(options =>
            {
                options.TableName = table;
                options.CreateIfNotExists = true;
            });
        });
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
    }
}
