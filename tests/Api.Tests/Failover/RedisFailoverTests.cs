using Personalization.TestSupport;
using Xunit;
using Xunit.Abstractions;

namespace Personalization.Api.Tests.Failover;

/// <summary>Runs alone: three silo processes and the load loops need the machine to themselves.</summary>
[CollectionDefinition(nameof(FailoverCollection), DisableParallelization = true)]
public sealed class FailoverCollection;

/// <summary>
/// A real failure with Redis: redis-server plus three silo processes clustered through Redis (membership and grain
/// storage), one SIGKILLed under load (<see cref="SiloKillDrill"/>).
/// </summary>
[Collection(nameof(FailoverCollection))]
public sealed class RedisFailoverTests(ITestOutputHelper output) : IAsyncLifetime
{
    // Failure detection tuned through Cluster:Membership (Orleans' ClusterMembershipOptions): a dead silo is
    // suspected after 3 missed 2-second probes (the DynamoDB drill measures Orleans' defaults).
    private static readonly string[] MembershipSettings = ["--Cluster:Membership:ProbeTimeout=00:00:02", "--Cluster:Membership:NumMissedProbesLimit=3"];

    private readonly RedisServer _redis = new();
    private ProcessCluster? _cluster;

    public Task InitializeAsync() => _redis.InitializeAsync();

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }

        await _redis.DisposeAsync();
    }

    [Fact]
    public async Task Killing_one_of_three_silos_recovers_in_bounded_time_and_loses_no_accepted_event()
    {
        _cluster = new ProcessCluster(output, "redis-kill",
        [
            "--Cluster:Provider=redis",
            $"--Cluster:Redis:ConnectionString={_redis.ConnectionString}",
            "--Storage:Provider=redis",
            $"--Storage:Redis:ConnectionString={_redis.ConnectionString}",
            .. MembershipSettings,
        ]);
        try
        {
            await SiloKillDrill.RunAsync(_cluster, $"Redis clustering + Redis grain storage, membership {string.Join(' ', MembershipSettings)}", rejoin: false);
        }
        catch
        {
            _cluster.DumpTails();
            output.WriteLine("---- redis-server, last lines:");
            output.WriteLine(_redis.OutputTail);
            throw;
        }
    }
}
