using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Runtime;
using Personalization.TestSupport;

namespace Personalization.Orleans.Clustering.DynamoDB.Tests;

public interface IWhereGrain : IGrainWithIntegerKey
{
    Task<string> GetSiloAsync();
}

/// <summary>Answers with the silo it is activated on, so a test can see calls reach either silo.</summary>
public sealed class WhereGrain : Grain, IWhereGrain
{
    public Task<string> GetSiloAsync() => Task.FromResult(RuntimeIdentity);
}

/// <summary>
/// Two real silos (generic hosts on loopback TCP) and an external client, all clustered through DynamoDB on dynalite:
/// the silos find each other through the table, the client finds them through the gateway list.
/// </summary>
[Collection(DynaliteCollection.Name)]
public sealed class ClusterEndToEndTests(DynaliteFixture dynalite) : IDisposable
{
    private readonly MembershipFactory _factory = new(dynalite);

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task Two_silos_and_an_external_client_form_a_cluster_through_DynamoDB()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        using var first = await StartSiloAsync(timeout.Token);
        using var second = await StartSiloAsync(timeout.Token);
        using var client = await StartClientAsync(timeout.Token);

        // Both silos are Active in the table and each knows the other: membership went through DynamoDB.
        var management = client.Services.GetRequiredService<IClusterClient>().GetGrain<IManagementGrain>(0);
        var hosts = await WaitForAsync(() => management.GetHosts(onlyActive: true), h => h.Count == 2, timeout.Token);
        Assert.All(hosts.Values, status => Assert.Equal(SiloStatus.Active, status));
        using var table = _factory.Create();
        var data = await table.ReadAllAsync(timeout.Token);
        Assert.Equal(2, data.Members.Count(m => m.Item1.Status == SiloStatus.Active));
        Assert.Equal(hosts.Keys.OrderBy(s => s), data.Members.Select(m => m.Item1.SiloAddress).OrderBy(s => s));

        // The client calls grains; with two silos some land on each.
        var grains = client.Services.GetRequiredService<IClusterClient>();
        var silos = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => grains.GetGrain<IWhereGrain>(i).GetSiloAsync()));
        Assert.Equal(2, silos.Distinct().Count());

        // A graceful stop marks the silo Dead in the table.
        var stopped = second.Services.GetRequiredService<ILocalSiloDetails>().SiloAddress;
        await second.StopAsync(timeout.Token);
        var after = await table.ReadAllAsync(timeout.Token);
        Assert.Equal(SiloStatus.Dead, after.TryGet(stopped)!.Item1.Status);
        Assert.False(string.IsNullOrEmpty(await grains.GetGrain<IWhereGrain>(1000).GetSiloAsync()));

        await client.StopAsync(timeout.Token);
        await first.StopAsync(timeout.Token);
    }

    private async Task<IHost> StartSiloAsync(CancellationToken cancellationToken)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.UseOrleans(silo =>
        {
            silo.Configure<ClusterOptions>(o => (o.ServiceId, o.ClusterId) = (_factory.ServiceId, _factory.ClusterId));
            silo.ConfigureEndpoints(IPAddress.Loopback, NodeEmulator.FreeLoopbackPort(), NodeEmulator.FreeLoopbackPort());
            silo.UseDynamoDBClustering(o =>
            {
                o.TableName = _factory.Table;
                o.CreateIfNotExists = true;
                o.CreateClient = _ => MembershipFactory.CreateClient(dynalite.ServiceUrl);
            });
        });
        var host = builder.Build();
        await host.StartAsync(cancellationToken);
        return host;
    }

    private async Task<IHost> StartClientAsync(CancellationToken cancellationToken)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.UseOrleansClient(client =>
        {
            client.Configure<ClusterOptions>(o => (o.ServiceId, o.ClusterId) = (_factory.ServiceId, _factory.ClusterId));
            client.UseDynamoDBClustering(o =>
            {
                o.TableName = _factory.Table;
                o.CreateClient = _ => MembershipFactory.CreateClient(dynalite.ServiceUrl);
            });
        });
        var host = builder.Build();
        await host.StartAsync(cancellationToken);
        return host;
    }

    private static async Task<T> WaitForAsync<T>(Func<Task<T>> read, Func<T, bool> done, CancellationToken cancellationToken)
    {
        while (true)
        {
            var value = await read();
            if (done(value) || cancellationToken.IsCancellationRequested)
            {
                return value;
            }

            await Task.Delay(200, cancellationToken);
        }
    }
}
