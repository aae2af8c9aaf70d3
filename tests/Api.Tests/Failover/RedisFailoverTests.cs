using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using Personalization.Api.Tests.Cluster;
using Personalization.TestSupport;
using Xunit;
using Xunit.Abstractions;

namespace Personalization.Api.Tests.Failover;

/// <summary>Runs alone: three silo processes and the load loops need the machine to themselves.</summary>
[CollectionDefinition(nameof(FailoverCollection), DisableParallelization = true)]
public sealed class FailoverCollection;

/// <summary>
/// A real failure: redis-server plus three silo processes clustered through Redis (membership and grain storage) on
/// loopback, steady load over all three, then one silo is SIGKILLed. Load continues on the survivors until a run of
/// successes; asserts the cluster recovered within <see cref="RecoveryBound"/> and that every event the service
/// answered 200/202 for is in a target file (one file per silo, read back together). The figures go to the test
/// output and to failover-result.txt in the run's folder (printed), for BENCHMARKS.md.
/// </summary>
[Collection(nameof(FailoverCollection))]
public sealed partial class RedisFailoverTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Namespace = "store";
    private const int SiloCount = 3;
    private const int Workers = 2;

    // Failure detection tuned through Cluster:Membership (Orleans' ClusterMembershipOptions): a dead silo is
    // suspected after 3 missed 2-second probes. PERSONALIZATION_FAILOVER_DEFAULT_MEMBERSHIP=1 measures Orleans'
    // defaults instead (probe every 5 s, 3 missed), for the figures in BENCHMARKS.md; the bound holds for both.
    private static readonly string[] MembershipSettings =
        Environment.GetEnvironmentVariable("PERSONALIZATION_FAILOVER_DEFAULT_MEMBERSHIP") == "1"
            ? []
            : ["--Cluster:Membership:ProbeTimeout=00:00:02", "--Cluster:Membership:NumMissedProbesLimit=3"];

    /// <summary>From the kill to the last failed request. Detection (~6-10 s) plus directory recovery, with room for a loaded machine.</summary>
    private static readonly TimeSpan RecoveryBound = TimeSpan.FromSeconds(45);

    /// <summary>Load stops this long after the kill whether or not the cluster recovered.</summary>
    private static readonly TimeSpan LoadDeadlineAfterKill = TimeSpan.FromSeconds(60);

    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(100);
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(15);

    /// <summary>Recovered = this many successes in a row, over at least <see cref="StreakTime"/>, after the last failure.</summary>
    private const int StreakRequests = 60;

    private static readonly TimeSpan StreakTime = TimeSpan.FromSeconds(5);

    private readonly RedisServer _redis = new();
    private readonly List<SiloProcess> _silos = [];
    private readonly string _folder = CreateRunFolder();
    private readonly HttpClient _http = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(1), ConnectTimeout = TimeSpan.FromSeconds(5) }) { Timeout = RequestTimeout };

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var silo in _silos)
        {
            await silo.DisposeAsync();
        }

        await _redis.DisposeAsync();
        _http.Dispose();
    }

    [Fact]
    public async Task Killing_one_of_three_silos_recovers_in_bounded_time_and_loses_no_accepted_event()
    {
        var total = Stopwatch.StartNew();
        try
        {
            await RunAsync(total);
        }
        catch
        {
            DumpTails();
            throw;
        }
    }

    private async Task RunAsync(Stopwatch total)
    {
        await _redis.InitializeAsync();
        await SampleData.CopyToAsync(Path.Combine(_folder, SampleData.Folder));
        var eventsFolder = Directory.CreateDirectory(Path.Combine(_folder, "events")).FullName;
        var cluster = "failover-" + Guid.NewGuid().ToString("N")[..8];
        for (var i = 0; i < SiloCount; i++)
        {
            var name = $"silo-{i + 1}";
            var configPath = Path.Combine(_folder, $"config-{name}.json");
            await File.WriteAllTextAsync(configPath, Config(Path.Combine(eventsFolder, name + ".jsonl")));
            var url = $"http://127.0.0.1:{NodeEmulator.FreeLoopbackPort()}";
            _silos.Add(SiloProcess.Start(name, url, _folder,
            [
                "--urls", url,
                "--config", configPath,
                "--Cluster:Provider=redis",
                $"--Cluster:Redis:ConnectionString={_redis.ConnectionString}",
                $"--Cluster:SiloPort={NodeEmulator.FreeLoopbackPort()}",
                $"--Cluster:GatewayPort={NodeEmulator.FreeLoopbackPort()}",
                $"--Cluster:ClusterId={cluster}",
                $"--Cluster:ServiceId={cluster}",
                "--Storage:Provider=redis",
                $"--Storage:Redis:ConnectionString={_redis.ConnectionString}",
                "--Logging:LogLevel:Default=Warning",
                // Membership changes (suspicion, death declaration) with timestamps, to read detection time off the logs.
                "--Logging:LogLevel:Orleans.Runtime.MembershipService=Information",
                "--Logging:Console:FormatterOptions:TimestampFormat=HH:mm:ss.fff ",
                .. MembershipSettings,
            ]));
        }

        await WaitUntilAllReadyAsync();
        var startedAt = total.Elapsed;
        output.WriteLine($"redis {_redis.ConnectionString}; {SiloCount} silos ready after {startedAt.TotalSeconds:F1} s: {string.Join(", ", _silos.Select(s => $"{s.Name} {s.Url} pid {s.Id}"))}");

        var load = new Load(_http);
        var clock = Stopwatch.StartNew();
        using var stop = new CancellationTokenSource();
        load.Targets = _silos.Select(s => s.Url).ToArray();

        // Before: every user's grain activated (spread over the silos, so the victim hosts its share), then every
        // silo serves under load for a few seconds.
        await load.WarmAsync(clock);
        var loops = Enumerable.Range(0, Workers).Select(w => Task.Run(() => load.LoopAsync(w, clock, stop.Token))).ToArray();
        var warmupDeadline = clock.Elapsed + TimeSpan.FromSeconds(30);
        while (clock.Elapsed < warmupDeadline && !(clock.Elapsed >= TimeSpan.FromSeconds(4) && _silos.All(s => load.SuccessesAt(s.Url) >= 10)))
        {
            await Task.Delay(100);
        }

        Assert.All(_silos, s => Assert.True(load.SuccessesAt(s.Url) > 0, $"{s.Name} served nothing before the kill"));

        // The failure: SIGKILL, and from now on only the survivors' URLs get requests.
        var victim = _silos[^1];
        var survivors = _silos.Take(SiloCount - 1).ToArray();
        load.Targets = survivors.Select(s => s.Url).ToArray();
        var killedAt = clock.Elapsed;
        load.MarkKill(killedAt);
        victim.KillHard();
        output.WriteLine($"killed {victim.Name} (pid {victim.Id}) at {killedAt.TotalSeconds:F1} s of load, {DateTime.UtcNow:HH:mm:ss.fff} UTC");

        while (clock.Elapsed - killedAt < LoadDeadlineAfterKill && !load.RecoveredStreak(StreakRequests, StreakTime))
        {
            await Task.Delay(100);
        }

        await stop.CancelAsync();
        await Task.WhenAll(loops);
        var loadTime = clock.Elapsed;
        var streak = load.RecoveredStreak(StreakRequests, StreakTime);

        // Read every target back: one file per silo (the killed one's included), rotated files too.
        await Task.Delay(500);
        var found = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(eventsFolder, "*.jsonl"))
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            while (await reader.ReadLineAsync() is { } line)
            {
                foreach (Match match in EventIdPattern().Matches(line))
                {
                    found.Add(match.Groups[1].Value);
                }
            }
        }

        var accepted = load.AcceptedEventIds.ToArray();
        var missing = accepted.Where(id => !found.Contains(id)).ToArray();
        var after = load.After(killedAt);
        var recovery = load.LastFailureAfterKill is { } last ? last - killedAt : TimeSpan.Zero;
        var result = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"failover: {SiloCount} silo processes, Redis clustering + Redis grain storage, 1 SIGKILLed, {Workers} load loops (GET recommend-items + POST events)")
            .AppendLine(CultureInfo.InvariantCulture, $"membership: {(MembershipSettings.Length == 0 ? "Orleans defaults" : string.Join(' ', MembershipSettings))}; machine: {Environment.ProcessorCount} cores, load average at end {LoadAverage()}")
            .AppendLine(CultureInfo.InvariantCulture, $"silos ready after start: {startedAt.TotalSeconds:F1} s")
            .AppendLine(CultureInfo.InvariantCulture, $"started before the kill (all users warmed, then load): {load.Before(killedAt).Count} requests, {load.Before(killedAt).Count(r => !r.Success)} failed (a failure here is a request in flight to the victim at the kill)")
            .AppendLine(CultureInfo.InvariantCulture, $"recovery (kill -> last failed request): {recovery.TotalSeconds:F1} s (bound {RecoveryBound.TotalSeconds:F0} s); recovered streak of {StreakRequests} successes over {StreakTime.TotalSeconds:F0} s: {(streak ? "yes" : "NO")}")
            .AppendLine(CultureInfo.InvariantCulture, $"after kill: {after.Count} requests, {after.Count(r => !r.Success)} failed ({Summary(after.Where(r => !r.Success))}); slowest {(after.Count == 0 ? 0 : after.Max(r => r.Duration.TotalSeconds)):F1} s")
            .AppendLine(CultureInfo.InvariantCulture, $"events: {load.EventsPosted} posted, {accepted.Length} answered 200/202, {accepted.Count(found.Contains)} of those found in the target files, {missing.Length} missing; {found.Count} event ids in the files in all")
            .AppendLine(CultureInfo.InvariantCulture, $"load time {loadTime.TotalSeconds:F1} s, total test time {total.Elapsed.TotalSeconds:F1} s")
            .ToString();
        output.WriteLine(result);
        var resultPath = Path.Combine(_folder, "failover-result.txt");
        await File.WriteAllTextAsync(resultPath, result);
        output.WriteLine($"result and silo logs: {_folder}");
        foreach (var silo in survivors)
        {
            foreach (var line in File.ReadLines(silo.LogPath).Where(l => l.Contains("Dead", StringComparison.Ordinal) || l.Contains("suspect", StringComparison.OrdinalIgnoreCase)).Take(4))
            {
                output.WriteLine($"{silo.Name}: {line.Trim()}");
            }
        }

        Console.WriteLine(result + $"(written to {resultPath})");

        Assert.True(streak, $"the survivors did not serve {StreakRequests} requests in a row within {LoadDeadlineAfterKill.TotalSeconds:F0} s of the kill:{Environment.NewLine}{result}");
        Assert.True(recovery <= RecoveryBound, $"recovery took {recovery.TotalSeconds:F1} s, more than {RecoveryBound.TotalSeconds:F0} s:{Environment.NewLine}{result}");
        Assert.True(accepted.Length > 0, "no event was accepted");
        Assert.True(missing.Length == 0, $"{missing.Length} accepted events are missing from the targets, e.g. {string.Join(", ", missing.Take(5))}:{Environment.NewLine}{result}");

        // Keep the result and logs; drop the data copy.
        Directory.Delete(Path.Combine(_folder, SampleData.Folder), recursive: true);
    }

    private async Task WaitUntilAllReadyAsync()
    {
        var deadline = DateTime.UtcNow + ReadyTimeout;
        var ready = new HashSet<SiloProcess>();
        while (ready.Count < _silos.Count)
        {
            foreach (var silo in _silos.Where(s => !ready.Contains(s)))
            {
                if (silo.HasExited)
                {
                    throw new InvalidOperationException($"{silo.Name} exited before it was ready; log {silo.LogPath}:{Environment.NewLine}{silo.Tail()}");
                }

                try
                {
                    using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(3));
                    using var response = await _http.GetAsync(silo.Url + "/ready", timeout.Token);
                    if (response.IsSuccessStatusCode)
                    {
                        ready.Add(silo);
                    }
                }
                catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
                {
                    // Not listening yet.
                }
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"not ready within {ReadyTimeout.TotalSeconds:F0} s: {string.Join(", ", _silos.Where(s => !ready.Contains(s)).Select(s => s.Name))}");
            }

            await Task.Delay(250);
        }
    }

    private void DumpTails()
    {
        foreach (var silo in _silos)
        {
            output.WriteLine($"---- {silo.Name} ({silo.Url}, exited: {silo.HasExited}) log {silo.LogPath}, last lines:");
            output.WriteLine(silo.Tail());
        }

        output.WriteLine("---- redis-server, last lines:");
        output.WriteLine(_redis.OutputTail);
        output.WriteLine($"run folder (kept): {_folder}");
    }

    private static string Summary(IEnumerable<Load.Result> failures) =>
        string.Join(", ", failures.GroupBy(f => f.Outcome).OrderByDescending(g => g.Count()).Select(g => $"{g.Count()}x {g.Key}")) is { Length: > 0 } text ? text : "none";

    private static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "n/a";
        }
    }

    private static string CreateRunFolder()
    {
        var folder = Path.Combine(Path.GetTempPath(), "personalization-failover", DateTime.UtcNow.ToString("yyyyMMdd'T'HHmmss", CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N")[..6]);
        return Directory.CreateDirectory(folder).FullName;
    }

    private static string Config(string eventsPath) => $$"""
        {
          "version": "failover-1",
          "cacheControl": {
            "userSpecified": { "maxAge": 10, "directives": "private", "staleWhileRevalidate": 20 },
            "syntheticUserSpecified": { "maxAge": 300, "directives": "public" },
            "noUserSpecified": { "maxAge": 1200, "directives": "public" }
          },
          "namespaces": {
            "{{Namespace}}": {
              "name": "Sample store",
              "inferenceItemMetadata": { "type": "localdb", "path": "{{SampleData.Folder}}/{{SampleData.CatalogFile}}" },
              "builtinRecommender": {
                "interactions": "{{SampleData.Folder}}/{{SampleData.InteractionsFile}}",
                "eventWeights": { "view": 1, "click": 2, "purchase": 4 }
              },
              "recommenders": {
                "recommend-items": {
                  "for-you": { "variations": { "personalized": { "type": "builtin", "algorithm": "personalized" } } }
                }
              },
              "eventTargets": [ { "type": "file", "path": {{System.Text.Json.JsonSerializer.Serialize(eventsPath)}} } ]
            }
          }
        }
        """;

    [GeneratedRegex("\"eventId\"\\s*:\\s*\"([^\"]+)\"")]
    private static partial Regex EventIdPattern();

    /// <summary>The load loops and what they saw: every request's outcome and timing, and the event ids answered 200/202.</summary>
    private sealed class Load(HttpClient http)
    {
        private const int MaxRequests = 20_000;
        private readonly ConcurrentQueue<Result> _results = new();
        private readonly ConcurrentDictionary<string, int> _successesByUrl = new();
        private readonly object _gate = new();
        private TimeSpan? _killedAt;
        private TimeSpan? _lastFailureAfterKill;
        private int _successesSinceFailure;
        private TimeSpan _streakStart;
        private int _eventsPosted;

        public volatile string[] Targets = [];

        public ConcurrentBag<string> AcceptedEventIds { get; } = [];

        public int EventsPosted => _eventsPosted;

        public TimeSpan? LastFailureAfterKill
        {
            get
            {
                lock (_gate)
                {
                    return _lastFailureAfterKill;
                }
            }
        }

        public int SuccessesAt(string url) => _successesByUrl.GetValueOrDefault(url);

        public void MarkKill(TimeSpan at)
        {
            lock (_gate)
            {
                _killedAt = at;
                _successesSinceFailure = 0;
                _streakStart = at;
            }
        }

        public bool RecoveredStreak(int requests, TimeSpan time)
        {
            lock (_gate)
            {
                return _killedAt is not null && _successesSinceFailure >= requests && _lastCompletion - _streakStart >= time;
            }
        }

        private TimeSpan _lastCompletion;

        public List<Result> Before(TimeSpan at) => _results.Where(r => r.Started < at).ToList();

        public List<Result> After(TimeSpan at) => _results.Where(r => r.Started >= at).ToList();

        /// <summary>One GET per sample user, round-robin over the silos, a few at a time.</summary>
        public Task WarmAsync(Stopwatch clock)
        {
            var targets = Targets;
            return Parallel.ForEachAsync(Enumerable.Range(1, SampleData.Options.UserCount), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (u, _) =>
            {
                var url = targets[u % targets.Length];
                await SendAsync(clock, url, "GET recommend-items", () => new HttpRequestMessage(HttpMethod.Get, $"{url}/recommend-items/{Namespace}/for-you/u{u:D5}?numResults=5"), eventId: null);
            });
        }

        public async Task LoopAsync(int worker, Stopwatch clock, CancellationToken stop)
        {
            var random = new Random(worker + 1);
            var n = worker;
            while (!stop.IsCancellationRequested && _results.Count < MaxRequests)
            {
                var targets = Targets;
                var url = targets[n++ % targets.Length];
                var user = $"u{random.Next(1, SampleData.Options.UserCount + 1):D5}";
                await SendAsync(clock, url, "GET recommend-items", () => new HttpRequestMessage(HttpMethod.Get, $"{url}/recommend-items/{Namespace}/for-you/{user}?numResults=5"), eventId: null);

                var eventId = Guid.NewGuid().ToString("N");
                var body = $$"""{"sessionId":"failover-{{worker}}","userId":"{{user}}","eventList":[{"eventId":"{{eventId}}","eventType":"view","itemId":"i{{random.Next(1, SampleData.Options.ItemCount + 1):D5}}"}]}""";
                Interlocked.Increment(ref _eventsPosted);
                await SendAsync(clock, url, "POST events", () => new HttpRequestMessage(HttpMethod.Post, $"{url}/events/{Namespace}") { Content = new StringContent(body, Encoding.UTF8, new MediaTypeHeaderValue("application/json")) }, eventId);

                // Steady, not flat out: the machine also runs three silos.
                await Task.Delay(10, CancellationToken.None);
            }
        }

        private async Task SendAsync(Stopwatch clock, string url, string kind, Func<HttpRequestMessage> request, string? eventId)
        {
            var started = clock.Elapsed;
            string outcome;
            bool success;
            try
            {
                using var message = request();
                using var response = await http.SendAsync(message, HttpCompletionOption.ResponseContentRead, CancellationToken.None);
                var status = (int)response.StatusCode;
                success = eventId is null ? status == 200 : status is 200 or 202;
                outcome = $"{kind} {status}";
                if (success && eventId is not null)
                {
                    AcceptedEventIds.Add(eventId);
                }
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
            {
                success = false;
                outcome = $"{kind} {(e is OperationCanceledException ? "timeout" : e.GetType().Name)}";
            }

            var completed = clock.Elapsed;
            _results.Enqueue(new Result(url, outcome, success, started, completed - started));
            if (success)
            {
                _successesByUrl.AddOrUpdate(url, 1, (_, count) => count + 1);
            }

            lock (_gate)
            {
                if (completed > _lastCompletion)
                {
                    _lastCompletion = completed;
                }

                if (_killedAt is not { } killedAt)
                {
                    return;
                }

                if (success)
                {
                    _successesSinceFailure++;
                }
                else if (completed >= killedAt)
                {
                    _successesSinceFailure = 0;
                    _streakStart = completed;
                    if (_lastFailureAfterKill is null || completed > _lastFailureAfterKill)
                    {
                        _lastFailureAfterKill = completed;
                    }
                }
            }
        }

        public sealed record Result(string Url, string Outcome, bool Success, TimeSpan Started, TimeSpan Duration);
    }
}
