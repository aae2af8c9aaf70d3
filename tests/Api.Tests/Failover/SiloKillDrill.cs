using System.Globalization;
using System.Text;
using Xunit;

namespace Personalization.Api.Tests.Failover;

/// <summary>
/// Three silos under steady load, then one is SIGKILLed and the load goes on over the survivors: asserts the cluster
/// recovered within <see cref="RecoveryBound"/> and that every event answered 200/202 reached a target file; with
/// <c>rejoin</c>, the killed silo is then started again and must serve its share. Shared by the Redis and DynamoDB
/// drills; the figures are reported for BENCHMARKS.md.
/// </summary>
internal static class SiloKillDrill
{
    public const int SiloCount = 3;
    public const int Workers = 2;

    /// <summary>From the kill to the last failed request. Detection plus directory recovery, with room for a loaded machine.</summary>
    public static readonly TimeSpan RecoveryBound = TimeSpan.FromSeconds(45);

    /// <summary>Recovered = this many successes in a row, over at least <see cref="StreakTime"/>, after the last failure.</summary>
    public const int StreakRequests = 60;

    public static readonly TimeSpan StreakTime = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan LoadDeadlineAfterKill = TimeSpan.FromSeconds(60);

    /// <summary>A request slower than this after the kill was held up by the dead silo, though it succeeded.</summary>
    private static readonly TimeSpan SlowRequest = TimeSpan.FromSeconds(1);

    public static async Task RunAsync(ProcessCluster cluster, string description, bool rejoin)
    {
        await cluster.StartAsync(SiloCount);
        var load = new ClusterLoad(cluster.Http, ProcessCluster.Namespace);
        using var stop = new CancellationTokenSource();
        var running = await StartSteadyLoadAsync(cluster, load, stop.Token);

        // The failure: SIGKILL, and from now on only the survivors' URLs get requests.
        var victimIndex = cluster.Silos.Count - 1;
        var victim = cluster.Silos[victimIndex];
        load.Targets = cluster.Silos.Take(victimIndex).Select(s => s.Url).ToArray();
        var killedAt = load.MarkDisruption();
        var killedAtWallClock = DateTime.Now;
        victim.KillHard();

        while (load.Clock.Elapsed - killedAt < LoadDeadlineAfterKill && !load.RecoveredStreak(StreakRequests, StreakTime))
        {
            await Task.Delay(100);
        }

        var recovered = load.RecoveredStreak(StreakRequests, StreakTime);
        var afterKill = load.Between(killedAt, load.Clock.Elapsed);

        // Recovered once the last request that failed or waited on the dead silo (over a second) has finished.
        var disturbed = afterKill.Where(r => !r.Success || r.Duration > SlowRequest).ToList();
        var recovery = disturbed.Count == 0 ? TimeSpan.Zero : disturbed.Max(r => r.Started + r.Duration) - killedAt;

        // The killed silo comes back with the same ports: it joins as a new generation and takes requests again.
        var rejoinLine = "";
        if (rejoin && recovered)
        {
            var restartAt = load.Clock.Elapsed;
            await cluster.RestartAsync(victimIndex);
            var readyAfter = load.Clock.Elapsed - restartAt;
            load.Targets = cluster.Silos.Select(s => s.Url).ToArray();
            await load.WaitUntilServedAsync([cluster.Silos[victimIndex].Url], 30, TimeSpan.FromSeconds(60));
            var sinceRestart = load.Between(restartAt, load.Clock.Elapsed);
            rejoinLine = string.Create(CultureInfo.InvariantCulture,
                $"rejoin: the killed silo restarted, ready (Active) after {readyAfter.TotalSeconds:F1} s, then served 30 requests; {sinceRestart.Count} requests since the restart, {sinceRestart.Count(r => !r.Success)} failed ({ClusterLoad.Summary(sinceRestart.Where(r => !r.Success))})");
        }

        await stop.CancelAsync();
        await running;

        // Read every target back: one file per silo, the killed one's included.
        await Task.Delay(500);
        var delivered = await cluster.DeliveredEventIdsAsync();
        var accepted = load.AcceptedEventIds.ToArray();
        var missing = accepted.Where(id => !delivered.Contains(id)).ToArray();
        var detection = FirstDeathDeclaration(cluster, victim, killedAtWallClock);
        var result = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"kill -9: {SiloCount} silo processes, {description}, 1 SIGKILLed, {Workers} load loops (GET recommend-items twice + POST events)")
            .AppendLine(CultureInfo.InvariantCulture, $"machine: {Environment.ProcessorCount} cores, load average at end {ProcessCluster.LoadAverage()}")
            .AppendLine(CultureInfo.InvariantCulture, $"before the kill: {load.Between(TimeSpan.Zero, killedAt).Count} requests, {load.Between(TimeSpan.Zero, killedAt).Count(r => !r.Success)} failed")
            .AppendLine(CultureInfo.InvariantCulture, $"victim declared dead in the membership log {(detection is { } d ? $"{d.TotalSeconds:F1} s" : "(no line found)")} after the kill")
            .AppendLine(CultureInfo.InvariantCulture, $"recovery (kill -> end of the last request that failed or took over {SlowRequest.TotalSeconds:F0} s): {recovery.TotalSeconds:F1} s (bound {RecoveryBound.TotalSeconds:F0} s); streak of {StreakRequests} successes over {StreakTime.TotalSeconds:F0} s: {(recovered ? "yes" : "NO")}")
            .AppendLine(CultureInfo.InvariantCulture, $"after the kill until recovered: {afterKill.Count} requests, {afterKill.Count(r => !r.Success)} failed ({ClusterLoad.Summary(afterKill.Where(r => !r.Success))}), {afterKill.Count(r => r.Success && r.Duration > SlowRequest)} succeeded after over {SlowRequest.TotalSeconds:F0} s; slowest {(afterKill.Count == 0 ? 0 : afterKill.Max(r => r.Duration.TotalSeconds)):F1} s")
            .AppendLine(rejoinLine)
            .AppendLine(CultureInfo.InvariantCulture, $"events: {load.EventsPosted} posted, {accepted.Length} answered 200/202, {accepted.Count(delivered.Contains)} of those in the target files, {missing.Length} missing")
            .ToString();
        await cluster.ReportAsync(result);

        Assert.True(recovered, $"the survivors did not serve {StreakRequests} requests in a row within {LoadDeadlineAfterKill.TotalSeconds:F0} s of the kill:{Environment.NewLine}{result}");
        Assert.True(recovery <= RecoveryBound, $"recovery took {recovery.TotalSeconds:F1} s, more than {RecoveryBound.TotalSeconds:F0} s:{Environment.NewLine}{result}");
        Assert.True(accepted.Length > 0, "no event was accepted");
        Assert.True(missing.Length == 0, $"{missing.Length} accepted events are missing from the targets, e.g. {string.Join(", ", missing.Take(5))}:{Environment.NewLine}{result}");
    }

    /// <summary>
    /// Every user warmed (spread over the silos, so each hosts its share), then load loops until every silo has served
    /// for a few seconds. Returns the running loops; cancel <paramref name="stop"/> and await them to end the load.
    /// </summary>
    public static async Task<Task> StartSteadyLoadAsync(ProcessCluster cluster, ClusterLoad load, CancellationToken stop)
    {
        load.Targets = cluster.Silos.Select(s => s.Url).ToArray();
        await load.WarmAsync();
        var running = load.RunAsync(Workers, stop);
        var warmedAt = load.Clock.Elapsed;
        await load.WaitUntilServedAsync(load.Targets, 20, TimeSpan.FromSeconds(30));
        var steady = warmedAt + TimeSpan.FromSeconds(3) - load.Clock.Elapsed;
        if (steady > TimeSpan.Zero)
        {
            await Task.Delay(steady);
        }

        return running;
    }

    /// <summary>When the first survivor saw the victim declared dead, as time since the kill.</summary>
    private static TimeSpan? FirstDeathDeclaration(ProcessCluster cluster, SiloProcess victim, DateTime killedAt) =>
        cluster.DeathsSeen(cluster.Silos.Where(s => s.Name != victim.Name))
            .Select(d => d.At.ToTimeSpan() - killedAt.TimeOfDay)
            .Where(since => since >= TimeSpan.Zero)
            .Order()
            .Cast<TimeSpan?>()
            .FirstOrDefault();
}
