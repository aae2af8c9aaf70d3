using System.Globalization;
using System.Text;
using Personalization.TestSupport;
using Xunit;
using Xunit.Abstractions;

namespace Personalization.Api.Tests.Failover;

/// <summary>
/// The failure drills of the production set-up: three silo processes with DynamoDB (dynalite) membership and grain
/// storage under steady load (<see cref="ClusterLoad"/>): a silo SIGKILLed then restarted, a graceful rolling restart of
/// all three, and the table service frozen for 30 s. Orleans' default failure detection (5 s probes, 3 missed) so the
/// figures compare with its documented detection time. `bench/drills.sh` runs them and prints the figures.
/// </summary>
[Collection(nameof(FailoverCollection))]
public sealed class DynamoDBFailoverTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan OutageLength = TimeSpan.FromSeconds(30);

    private readonly DynaliteFixture _dynalite = new();
    private ProcessCluster? _cluster;

    public Task InitializeAsync() => _dynalite.InitializeAsync();

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }

        await _dynalite.ResumeAsync(); // a failed outage drill must not leave it frozen
        await _dynalite.DisposeAsync();
    }

    [Fact]
    public Task Killing_one_of_three_silos_recovers_loses_no_accepted_event_and_the_silo_rejoins() =>
        RunAsync("dynamodb-kill", cluster => SiloKillDrill.RunAsync(cluster, "DynamoDB (dynalite) clustering + grain storage, Orleans' default failure detection", rejoin: true));

    [Fact]
    public Task A_graceful_rolling_restart_of_every_silo_fails_no_request() =>
        RunAsync("dynamodb-rolling-restart", RollingRestartAsync);

    [Fact]
    public Task With_the_table_service_frozen_for_30_s_the_cluster_keeps_serving_and_declares_no_silo_dead() =>
        RunAsync("dynamodb-outage", TableOutageAsync);

    private async Task RunAsync(string drill, Func<ProcessCluster, Task> run)
    {
        _cluster = new ProcessCluster(output, drill,
        [
            "--Cluster:Provider=dynamodb",
            "--Cluster:DynamoDB:TableName=silos",
            "--Cluster:DynamoDB:CreateIfNotExists=true",
            "--Storage:Provider=dynamodb",
            "--Storage:DynamoDB:TableName=grain-state",
            "--Storage:DynamoDB:CreateIfNotExists=true",
            "--Aws:Region=us-east-1",
            $"--Aws:ServiceUrls:dynamodb={_dynalite.ServiceUrl}",
            "--Aws:AccessKeyId=test",
            "--Aws:SecretAccessKey=test",
        ]);
        try
        {
            await run(_cluster);
        }
        catch
        {
            _cluster.DumpTails();
            throw;
        }
    }

    /// <summary>
    /// One silo at a time, as Kubernetes rolls a Deployment: taken out of the load (the ingress stops routing once
    /// readiness fails), SIGTERM, started again with the same ports, back in the load once ready and serving.
    /// Every request of the whole drill must succeed.
    /// </summary>
    private static async Task RollingRestartAsync(ProcessCluster cluster)
    {
        await cluster.StartAsync(SiloKillDrill.SiloCount);
        var load = new ClusterLoad(cluster.Http, ProcessCluster.Namespace);
        using var stop = new CancellationTokenSource();
        var running = await SiloKillDrill.StartSteadyLoadAsync(cluster, load, stop.Token);
        var startedAt = load.MarkDisruption();
        var steps = new List<string>();
        var exitCodes = new List<int>();
        for (var i = 0; i < cluster.Silos.Count; i++)
        {
            var silo = cluster.Silos[i];
            load.Targets = cluster.Silos.Where(s => s != silo).Select(s => s.Url).ToArray();
            await Task.Delay(TimeSpan.FromSeconds(1)); // requests already sent to it finish, as with a preStop sleep
            var stopped = await silo.StopGracefullyAsync(TimeSpan.FromSeconds(90));
            var exitCode = silo.ExitCode;
            exitCodes.Add(exitCode);
            var restartAt = load.Clock.Elapsed;
            await cluster.RestartAsync(i);
            var ready = load.Clock.Elapsed - restartAt;
            load.Targets = cluster.Silos.Select(s => s.Url).ToArray();
            await load.WaitUntilServedAsync([cluster.Silos[i].Url], 30, TimeSpan.FromSeconds(60));
            steps.Add(string.Create(CultureInfo.InvariantCulture, $"{silo.Name}: stopped {stopped.TotalSeconds:F1} s after SIGTERM (exit code {exitCode}), ready {ready.TotalSeconds:F1} s after start"));
        }

        await stop.CancelAsync();
        await running;
        var during = load.Between(startedAt, load.Clock.Elapsed);
        var (accepted, missing) = await EventsAsync(cluster, load);
        var result = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"rolling restart: {SiloKillDrill.SiloCount} silo processes, DynamoDB (dynalite) clustering + grain storage, each in turn out of the load, SIGTERM, restarted, back in; {SiloKillDrill.Workers} load loops")
            .AppendLine(CultureInfo.InvariantCulture, $"machine: {Environment.ProcessorCount} cores, load average at end {ProcessCluster.LoadAverage()}")
            .AppendLine(string.Join(Environment.NewLine, steps))
            .AppendLine(CultureInfo.InvariantCulture, $"during the restarts ({(load.Clock.Elapsed - startedAt).TotalSeconds:F0} s): {during.Count} requests, {during.Count(r => !r.Success)} failed ({ClusterLoad.Summary(during.Where(r => !r.Success))}); slowest {(during.Count == 0 ? 0 : during.Max(r => r.Duration.TotalSeconds)):F1} s")
            .AppendLine(CultureInfo.InvariantCulture, $"events: {load.EventsPosted} posted, {accepted} answered 200/202, {missing.Length} missing from the target files")
            .ToString();
        await cluster.ReportAsync(result);

        Assert.True(during.Count > 0, "no request during the restarts");
        Assert.True(exitCodes.All(code => code == 0), $"a silo did not finish its graceful shutdown (exit codes {string.Join(", ", exitCodes)}):{Environment.NewLine}{result}");
        Assert.True(during.All(r => r.Success), $"requests failed during the rolling restart:{Environment.NewLine}{result}");
        Assert.True(missing.Length == 0, $"{missing.Length} accepted events are missing from the targets:{Environment.NewLine}{result}");
    }

    /// <summary>
    /// dynalite frozen (SIGSTOP: connections hang, as when the table is unreachable) for 30 s under load. Grains already
    /// active serve from memory and write behind, so every request succeeds; membership cannot be written, so no silo
    /// can be declared dead, and every silo stays ready. Writes missed during the outage land after it.
    /// </summary>
    private async Task TableOutageAsync(ProcessCluster cluster)
    {
        await cluster.StartAsync(SiloKillDrill.SiloCount);
        var load = new ClusterLoad(cluster.Http, ProcessCluster.Namespace);
        using var stop = new CancellationTokenSource();
        var running = await SiloKillDrill.StartSteadyLoadAsync(cluster, load, stop.Token);

        await _dynalite.SuspendAsync();
        var outageAt = load.MarkDisruption();
        var readinessChecks = 0;
        var notReady = new List<string>();
        while (load.Clock.Elapsed - outageAt < OutageLength)
        {
            foreach (var silo in cluster.Silos)
            {
                readinessChecks++;
                if (!await cluster.IsReadyAsync(silo))
                {
                    notReady.Add(string.Create(CultureInfo.InvariantCulture, $"{silo.Name} at {(load.Clock.Elapsed - outageAt).TotalSeconds:F0} s"));
                }
            }

            await Task.Delay(TimeSpan.FromSeconds(1));
        }

        await _dynalite.ResumeAsync();
        var resumedAt = load.Clock.Elapsed;
        await Task.Delay(TimeSpan.FromSeconds(10)); // after: writes held back during the outage land
        await stop.CancelAsync();
        await running;

        var during = load.Between(outageAt, resumedAt);
        var after = load.Between(resumedAt, load.Clock.Elapsed);
        var (accepted, missing) = await EventsAsync(cluster, load);
        var exited = cluster.Silos.Where(s => s.HasExited).Select(s => s.Name).ToArray();
        var deaths = cluster.DeathsSeen().ToArray();
        var conflicts = cluster.Silos.Sum(s => File.ReadLines(s.LogPath).Count(l => l.Contains("InconsistentState", StringComparison.Ordinal)));
        var result = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"table outage: {SiloKillDrill.SiloCount} silo processes, DynamoDB (dynalite) clustering + grain storage, dynalite frozen (SIGSTOP) for {OutageLength.TotalSeconds:F0} s under load; {SiloKillDrill.Workers} load loops")
            .AppendLine(CultureInfo.InvariantCulture, $"machine: {Environment.ProcessorCount} cores, load average at end {ProcessCluster.LoadAverage()}")
            .AppendLine(CultureInfo.InvariantCulture, $"during the outage: {during.Count} requests ({string.Join(", ", during.GroupBy(r => r.Kind).Select(g => $"{g.Count()} {g.Key}"))}), {during.Count(r => !r.Success)} failed ({ClusterLoad.Summary(during.Where(r => !r.Success))}); slowest {(during.Count == 0 ? 0 : during.Max(r => r.Duration.TotalSeconds)):F2} s")
            .AppendLine(CultureInfo.InvariantCulture, $"readiness during the outage: {readinessChecks - notReady.Count} of {readinessChecks} checks 200{(notReady.Count > 0 ? $" (not ready: {string.Join(", ", notReady.Take(5))})" : "")}")
            .AppendLine(CultureInfo.InvariantCulture, $"10 s after: {after.Count} requests, {after.Count(r => !r.Success)} failed ({ClusterLoad.Summary(after.Where(r => !r.Success))})")
            .AppendLine(CultureInfo.InvariantCulture, $"silos exited: {(exited.Length == 0 ? "none" : string.Join(", ", exited))}; membership lines declaring a silo dead: {deaths.Length}; storage etag conflicts logged: {conflicts}")
            .AppendLine(CultureInfo.InvariantCulture, $"events: {load.EventsPosted} posted, {accepted} answered 200/202, {missing.Length} missing from the target files")
            .ToString();
        await cluster.ReportAsync(result);

        Assert.True(during.Count > 0, "no request during the outage");
        Assert.True(during.All(r => r.Success), $"requests failed during the table outage:{Environment.NewLine}{result}");
        Assert.True(after.All(r => r.Success), $"requests failed after the table outage:{Environment.NewLine}{result}");
        Assert.Empty(notReady);
        Assert.Empty(exited);
        Assert.Empty(deaths);
        Assert.Equal(0, conflicts);
        Assert.True(missing.Length == 0, $"{missing.Length} accepted events are missing from the targets:{Environment.NewLine}{result}");
    }

    private static async Task<(int Accepted, string[] Missing)> EventsAsync(ProcessCluster cluster, ClusterLoad load)
    {
        await Task.Delay(500);
        var delivered = await cluster.DeliveredEventIdsAsync();
        var accepted = load.AcceptedEventIds.ToArray();
        return (accepted.Length, accepted.Where(id => !delivered.Contains(id)).ToArray());
    }
}
