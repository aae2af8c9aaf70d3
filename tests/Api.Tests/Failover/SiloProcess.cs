using System.Diagnostics;

namespace Personalization.Api.Tests.Failover;

/// <summary>
/// A silo as a separate OS process: <c>dotnet Personalization.Silo.dll ...</c> from the test output folder (the test
/// project references the silo project). Its stdout and stderr go to a log file; <see cref="KillHard"/> is SIGKILL
/// on Linux; <see cref="DisposeAsync"/> kills whatever is left, even after a failure.
/// </summary>
internal sealed class SiloProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly object _logGate = new();

    private SiloProcess(string name, string url, string logPath, IReadOnlyList<string> arguments, Process process, StreamWriter log)
    {
        Name = name;
        Url = url;
        LogPath = logPath;
        Arguments = arguments;
        _process = process;
        _log = log;
    }

    public string Name { get; }

    public string Url { get; }

    public string LogPath { get; }

    /// <summary>What it was started with: <see cref="Restart"/> starts the same silo again (same ports, same settings).</summary>
    public IReadOnlyList<string> Arguments { get; }

    public bool HasExited => _process.HasExited;

    public int Id => _process.Id;

    public int ExitCode => _process.ExitCode;

    public static SiloProcess Start(string name, string url, string workingDirectory, IReadOnlyList<string> arguments)
    {
        var siloDll = Path.Combine(AppContext.BaseDirectory, "Personalization.Silo.dll");
        if (!File.Exists(siloDll))
        {
            throw new FileNotFoundException($"the silo is not in the test output folder: {siloDll}");
        }

        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(siloDll);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // Three silos and the test share a small machine: workstation GC keeps each process lean.
        start.Environment["DOTNET_gcServer"] = "0";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment.Remove("ASPNETCORE_URLS");

        // A restarted silo appends to its log, so one file tells its whole story.
        var logPath = Path.Combine(workingDirectory, name + ".log");
        var log = new StreamWriter(logPath, append: true) { AutoFlush = true };
        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {name}");
        var silo = new SiloProcess(name, url, logPath, arguments, process, log);
        process.OutputDataReceived += (_, e) => silo.Write(e.Data);
        process.ErrorDataReceived += (_, e) => silo.Write(e.Data is null ? null : "[stderr] " + e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return silo;
    }

    /// <summary>SIGKILL: no shutdown, no leaving the cluster; the others must detect it.</summary>
    public void KillHard()
    {
        _process.Kill(entireProcessTree: false);
        _process.WaitForExit(10_000);
    }

    /// <summary>SIGTERM, as Kubernetes sends it: the host shuts down (readiness 503, grains deactivate, events drain).</summary>
    public async Task<TimeSpan> StopGracefullyAsync(TimeSpan timeout)
    {
        var stopwatch = Stopwatch.StartNew();
        using (var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) } })
            ?? throw new InvalidOperationException("could not start kill"))
        {
            await kill.WaitForExitAsync();
        }

        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"{Name} did not stop within {timeout.TotalSeconds:F0} s of SIGTERM; log {LogPath}:{Environment.NewLine}{Tail()}");
        }

        return stopwatch.Elapsed;
    }

    /// <summary>The same silo started again after it stopped: same name, URL, ports and settings; the log continues.</summary>
    public SiloProcess Restart(string workingDirectory)
    {
        if (!HasExited)
        {
            throw new InvalidOperationException($"{Name} is still running");
        }

        lock (_logGate)
        {
            _log.Dispose();
        }

        return Start(Name, Url, workingDirectory, Arguments);
    }

    public string Tail(int lines = 40)
    {
        try
        {
            lock (_logGate)
            {
                using var stream = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
                using var reader = new StreamReader(stream);
                var all = reader.ReadToEnd().Split('\n');
                return string.Join('\n', all.TakeLast(lines));
            }
        }
        catch (IOException e)
        {
            return $"(no log: {e.Message})";
        }
    }

    public ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        lock (_logGate)
        {
            _log.Dispose();
        }

        _process.Dispose();
        return ValueTask.CompletedTask;
    }

    private void Write(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_logGate)
        {
            try
            {
                _log.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
                // Output after dispose.
            }
        }
    }
}
