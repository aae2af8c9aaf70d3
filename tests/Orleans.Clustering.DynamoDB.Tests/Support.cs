using System.Net;
using Amazon.DynamoDBv2;
using Amazon.Runtime;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Configuration;
using Orleans.Runtime;
using Personalization.TestSupport;

namespace Personalization.Orleans.Clustering.DynamoDB.Tests;

/// <summary>One dynalite for the whole assembly: starting node for every class would cost more than the tests.</summary>
[CollectionDefinition(Name)]
public sealed class DynaliteCollection : ICollectionFixture<DynaliteFixture>
{
    public const string Name = "dynalite";
}

/// <summary>Builds membership tables and gateway lists on dynalite, each test on its own cluster id.</summary>
public sealed class MembershipFactory(Uri serviceUrl) : IDisposable
{
    private static int _tables;
    private static int _generation = (int)(DateTime.UtcNow.Ticks % 1_000_000_000);

    public MembershipFactory(DynaliteFixture dynalite)
        : this(dynalite.ServiceUrl)
    {
    }

    public AmazonDynamoDBClient Client { get; } = CreateClient(serviceUrl);

    public string Table { get; } = NewTableName();

    public string ServiceId { get; } = "test-service";

    public string ClusterId { get; } = "test-" + Guid.NewGuid().ToString("N");

    public static AmazonDynamoDBClient CreateClient(Uri serviceUrl) => new(
        new BasicAWSCredentials("test", "test"),
        // No retries: an outage test should fail in one attempt, and dynalite never throttles.
        new AmazonDynamoDBConfig { ServiceURL = serviceUrl.ToString(), AuthenticationRegion = "us-east-1", MaxErrorRetry = 0, Timeout = TimeSpan.FromSeconds(10) });

    public static string NewTableName() => $"silos-{Environment.ProcessId}-{Interlocked.Increment(ref _tables)}";

    /// <summary>A table on this factory's table and cluster, initialized as a silo does (creating the table).</summary>
    public async Task<DynamoDBMembershipTable> CreateAsync(string? clusterId = null, IAmazonDynamoDB? client = null)
    {
        var table = Create(clusterId, client);
        await table.InitializeMembershipTableAsync(true, CancellationToken.None);
        return table;
    }

    public DynamoDBMembershipTable Create(string? clusterId = null, IAmazonDynamoDB? client = null) =>
        new(
            Options.Create(new DynamoDBClusteringOptions { TableName = Table, CreateIfNotExists = true }),
            Options.Create(new ClusterOptions { ServiceId = ServiceId, ClusterId = clusterId ?? ClusterId }),
            Services(client ?? Client),
            NullLogger<DynamoDBMembershipTable>.Instance);

    public DynamoDBGatewayListProvider CreateGateways(IAmazonDynamoDB? client = null) =>
        new(
            Options.Create(new DynamoDBClusteringOptions { TableName = Table }),
            Options.Create(new ClusterOptions { ServiceId = ServiceId, ClusterId = ClusterId }),
            Options.Create(new GatewayOptions()),
            Services(client ?? Client),
            NullLogger<DynamoDBGatewayListProvider>.Instance);

    /// <summary>As the kit makes them: loopback:12345, a unique generation, Joining, ProxyPort = port, times truncated to seconds.</summary>
    public static MembershipEntry NewEntry(DateTime? now = null)
    {
        var time = now ?? DateTime.UtcNow;
        time = new DateTime(time.Ticks - (time.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);
        var generation = Interlocked.Increment(ref _generation);
        return new MembershipEntry
        {
            SiloAddress = SiloAddress.New(IPAddress.Loopback, 12345, generation),
            HostName = "host-" + generation,
            SiloName = "silo-" + generation,
            RoleName = "role",
            Status = SiloStatus.Joining,
            ProxyPort = 12345,
            UpdateZone = 1,
            FaultZone = 2,
            StartTime = time,
            IAmAliveTime = time,
        };
    }

    private static ServiceProvider Services(IAmazonDynamoDB client) =>
        new ServiceCollection().AddSingleton(client).BuildServiceProvider();

    public void Dispose() => Client.Dispose();
}
