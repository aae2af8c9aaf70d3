using System.Globalization;
using System.Text.RegularExpressions;
using Personalization.Api.Tests.Cluster;
using Personalization.TestSupport;
using Xunit.Abstractions;

namespace Personalization.Api.Tests.Failover;

/// <summary>
/// Silo processes on loopback sharing one cluster id, each with its own HTTP, silo and gateway port, the sample store
/// and a file event target of its own, in a run folder under /tmp/personalization-failover that keeps the logs and
/// results of every run. The clustering and storage settings come from the drill (<c>backend</c>).
/// </summary>
internal sealed partial class ProcessCluster(ITestOutputHelper output, string drill, IReadOnlyList<string> backend) : IAsyncDisposable
{
    public const string Namespace = "store";

    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(100);

    public string Folder { get; } = CreateRunFolder(drill);

    public string EventsFolder => Path.Combine(Folder, "events");

    public List<SiloProcess> Silos { get; } = [];

    public HttpClient Http { get; } = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(1), ConnectTimeout = TimeSpan.FromSeconds(5) })
    {
        Timeout = TimeSpan.FromSeconds(15),
    };

    public async Task StartAsync(int count)
    {
        await SampleData.CopyToAsync(Path.Combine(Folder, SampleData.Folder));
        Directory.CreateDirectory(EventsFolder);
        var cluster = drill + "-" + Guid.NewGuid().ToString("N")[..8];
        for (var i = 0; i < count; i++)
        {
            var name = $"silo-{i + 1}";
            var configPath = Path.Combine(Folder, $"config-{name}.json");
            await File.WriteAllTextAsync(configPath, Config(Path.Combine(EventsFolder, name + ".jsonl")));
            var url = $"http://127.0.0.1:{NodeEmulator.FreeLoopbackPort()}";
            Silos.Add(SiloProcess.Start(name, url, Folder,
            [
                "--urls", url,
                "--config", configPath,
                $"--Cluster:SiloPort={NodeEmulator.FreeLoopbackPort()}",
                $"--Cluster:GatewayPort={NodeEmulator.FreeLoopbackPort()}",
                $"--Cluster:ClusterId={cluster}",
                $"--Cluster:ServiceId={cluster}",
                "--Logging:LogLevel:Default=Warning",
                // Membership changes (suspicion, death declaration) with timestamps, to read detection time off the logs.
                "--Logging:LogLevel:Orleans.Runtime.MembershipService=Information",
                "--Logging:Console:FormatterOptions:TimestampFormat=HH:mm:ss.fff ",
                .. backend,
            ]));
        }

        await WaitUntilReadyAsync(Silos);
    }

    /// <summary>Starts silo <paramref name="index"/> again (after a kill or a stop) with the same ports and settings.</summary>
    public async Task RestartAsync(int index)
    {
        var old = Silos[index];
        Silos[index] = old.Restart(Folder);
        await old.DisposeAsync();
        await WaitUntilReadyAsync([Silos[index]]);
    }

    public async Task WaitUntilReadyAsync(IReadOnlyCollection<SiloProcess> silos)
    {
        var deadline = DateTime.UtcNow + ReadyTimeout;
        var ready = new HashSet<SiloProcess>();
        while (ready.Count < silos.Count)
        {
            foreach (var silo in silos.Where(s => !ready.Contains(s)))
            {
                if (silo.HasExited)
                {
                    throw new InvalidOperationException($"{silo.Name} exited before it was ready; log {silo.LogPath}:{Environment.NewLine}{silo.Tail()}");
                }

                if (await IsReadyAsync(silo))
                {
                    ready.Add(silo);
                }
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"not ready within {ReadyTimeout.TotalSeconds:F0} s: {string.Join(", ", silos.Where(s => !ready.Contains(s)).Select(s => s.Name))}");
            }

            await Task.Delay(250);
        }
    }

    /// <summary>GET /ready answered 200 within 3 s.</summary>
    public async Task<bool> IsReadyAsync(SiloProcess silo)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(3));
            using var response = await Http.GetAsync(silo.Url + "/ready", timeout.Token);
            return response.IsSuccessStatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Every event id in the target files, a dead silo's included.</summary>
    public async Task<HashSet<string>> DeliveredEventIdsAsync()
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(EventsFolder, "*.jsonl"))
        {
            await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            while (await reader.ReadLineAsync() is { } line)
            {
                foreach (Match match in EventIdPattern().Matches(line))
                {
                    found.Add(match.Groups[1].Value);
                }
            }
        }

        return found;
    }

    /// <summary>
    /// The log entries in which a silo evicted another or saw it declared dead (a membership snapshot holding a Dead row), with
    /// their console timestamps (local time); none in a healthy cluster's life.
    /// </summary>
    public IEnumerable<(SiloProcess Silo, TimeOnly At, string Message)> DeathsSeen(IEnumerable<SiloProcess>? silos = null) =>
        (silos ?? Silos).SelectMany(silo => LogEntries(silo)
            .Where(e => e.Message.Contains("Status=Dead", StringComparison.Ordinal) || e.Message.StartsWith("Evicting ", StringComparison.Ordinal))
            .Select(e => (silo, e.At, e.Message)));

    /// <summary>A console log's entries: the timestamped header line and the first line of its message.</summary>
    private static IEnumerable<(TimeOnly At, string Message)> LogEntries(SiloProcess silo)
    {
        TimeOnly? at = null;
        foreach (var line in File.ReadLines(silo.LogPath))
        {
            if (line.Length > 12 && TimeOnly.TryParseExact(line[..12], "HH:mm:ss.fff", CultureInfo.InvariantCulture, DateTimeStyles.None, out var stamp))
            {
                at = stamp;
            }
            else if (at is { } headerTime)
            {
                yield return (headerTime, line.Trim());
                at = null;
            }
        }
    }

    /// <summary>Writes a drill's figures to the test output, the run folder and, when set, PERSONALIZATION_DRILL_RESULTS (bench/drills.sh).</summary>
    public async Task ReportAsync(string result)
    {
        output.WriteLine(result);
        output.WriteLine($"result and silo logs: {Folder}");
        foreach (var (silo, at, message) in DeathsSeen().Take(6))
        {
            output.WriteLine($"{silo.Name} {at:HH:mm:ss.fff}: {message}");
        }

        await File.WriteAllTextAsync(Path.Combine(Folder, "result.txt"), result);
        if (Environment.GetEnvironmentVariable("PERSONALIZATION_DRILL_RESULTS") is { Length: > 0 } results)
        {
            Directory.CreateDirectory(results);
            await File.WriteAllTextAsync(Path.Combine(results, drill + ".txt"), result + $"(logs: {Folder}){Environment.NewLine}");
        }
    }

    public void DumpTails()
    {
        foreach (var silo in Silos)
        {
            output.WriteLine($"---- {silo.Name} ({silo.Url}, exited: {silo.HasExited}) log {silo.LogPath}, last lines:");
            output.WriteLine(silo.Tail());
        }

        output.WriteLine($"run folder (kept): {Folder}");
    }

    public static string LoadAverage()
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

    public async ValueTask DisposeAsync()
    {
        foreach (var silo in Silos)
        {
            await silo.DisposeAsync();
        }

        Http.Dispose();

        // Keep the results and logs; drop the data copy.
        var data = Path.Combine(Folder, SampleData.Folder);
        if (Directory.Exists(data))
        {
            Directory.Delete(data, recursive: true);
        }
    }

    private static string CreateRunFolder(string drill)
    {
        var name = DateTime.UtcNow.ToString("yyyyMMdd'T'HHmmss", CultureInfo.InvariantCulture) + "-" + drill + "-" + Guid.NewGuid().ToString("N")[..6];
        return Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "personalization-failover", name)).FullName;
    }

    private static string Config(string eventsPath) => $$"""
        {
          "version": "drill-1",
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
}
