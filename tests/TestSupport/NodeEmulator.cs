using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Xunit;

namespace Personalization.TestSupport;

/// <summary>
/// Starts an npm-packaged emulator (dynalite, kinesalite) on a free loopback port. The package is installed once
/// into a cache folder (PERSONALIZATION_TEST_CACHE, default ~/.cache/personalization-tests), so a fresh machine needs
/// only node and npm. Use through <see cref="DynaliteFixture"/>, <see cref="KinesaliteFixture"/> or <see cref="S3rverFixture"/>.
/// </summary>
public abstract class NodeEmulator : IAsyncLifetime
{
    private static readonly SemaphoreSlim InstallLock = new(1, 1);
    private Process? _process;

    protected abstract string PackageSpec { get; }

    /// <summary>The node arguments that start the emulator on <paramref name="port"/>, given the install folder.</summary>
    protected abstract IEnumerable<string> NodeArguments(string installFolder, int port);

    public Uri ServiceUrl { get; private set; } = new("http://127.0.0.1:0");

    public async Task InitializeAsync()
    {
        var folder = await EnsureInstalledAsync(PackageSpec);
        var port = FreeLoopbackPort();
        var start = new ProcessStartInfo("node") { WorkingDirectory = folder, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in NodeArguments(folder, port))
        {
            start.ArgumentList.Add(argument);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException($"could not start node for {PackageSpec}");
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        ServiceUrl = new Uri($"http://127.0.0.1:{port}");
        await WaitForPortAsync(port, TimeSpan.FromSeconds(30));
    }

    /// <summary>
    /// Freezes the emulator (SIGSTOP): it keeps its port, so connections are accepted by the kernel and then hang,
    /// like a service that stopped answering, until <see cref="ResumeAsync"/>.
    /// </summary>
    public Task SuspendAsync() => SignalAsync("-STOP");

    /// <summary>Lets a suspended emulator run again (SIGCONT).</summary>
    public Task ResumeAsync() => SignalAsync("-CONT");

    private async Task SignalAsync(string signal)
    {
        var process = _process ?? throw new InvalidOperationException($"{PackageSpec} is not running");
        using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { signal, process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) } })
            ?? throw new InvalidOperationException("could not start kill");
        await kill.WaitForExitAsync();
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill {signal} {process.Id} failed with exit code {kill.ExitCode}");
        }
    }

    public virtual Task DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }

        _process?.Dispose();
        return Task.CompletedTask;
    }

    public static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string CacheRoot =>
        Environment.GetEnvironmentVariable("PERSONALIZATION_TEST_CACHE") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "personalization-tests");

    private static async Task<string> EnsureInstalledAsync(string packageSpec)
    {
        var folder = Path.Combine(CacheRoot, packageSpec.Replace('@', '-').Replace('/', '-'));
        var marker = Path.Combine(folder, ".installed");
        await InstallLock.WaitAsync();
        try
        {
            if (File.Exists(marker))
            {
                return folder;
            }

            Directory.CreateDirectory(folder);
            await File.WriteAllTextAsync(Path.Combine(folder, "package.json"), "{\"private\":true}");
            var install = new ProcessStartInfo("npm") { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var argument in new[] { "install", "--no-audit", "--no-fund", "--loglevel=error", packageSpec })
            {
                install.ArgumentList.Add(argument);
            }

            using var process = Process.Start(install) ?? throw new InvalidOperationException("could not start npm");
            var stderr = process.StandardError.ReadToEndAsync();
            await process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"npm install {packageSpec} failed: {await stderr}");
            }

            await File.WriteAllTextAsync(marker, packageSpec);
            return folder;
        }
        finally
        {
            InstallLock.Release();
        }
    }

    private async Task WaitForPortAsync(int port, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process!.HasExited)
            {
                throw new InvalidOperationException($"{PackageSpec} exited with code {_process.ExitCode} before listening");
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }

        throw new TimeoutException($"{PackageSpec} did not listen on port {port} within {timeout}");
    }
}

/// <summary>DynamoDB emulator. Lacks TransactWriteItems, TransactGetItems, UpdateTimeToLive and Streams.</summary>
public sealed class DynaliteFixture : NodeEmulator
{
    protected override string PackageSpec => "dynalite@4.0.0";

    protected override IEnumerable<string> NodeArguments(string installFolder, int port) =>
    [
        Path.Combine(installFolder, "node_modules", "dynalite", "cli.js"),
        "--host", "127.0.0.1", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        "--createTableMs", "0", "--deleteTableMs", "0", "--updateTableMs", "0",
    ];
}

/// <summary>Kinesis emulator. Its CLI cannot bind to loopback, hence the inline script.</summary>
public sealed class KinesaliteFixture : NodeEmulator
{
    protected override string PackageSpec => "kinesalite@3.3.3";

    protected override IEnumerable<string> NodeArguments(string installFolder, int port) =>
    [
        "-e",
        "require('kinesalite')({createStreamMs:0,deleteStreamMs:0,updateStreamMs:0,shardLimit:50}).listen(" +
        port.ToString(System.Globalization.CultureInfo.InvariantCulture) + ",'127.0.0.1')",
    ];
}

/// <summary>
/// S3 emulator (s3rver 3.7.1, runs on node 20): path-style addressing, conditional GETs (If-None-Match → 304), its
/// objects in a temporary folder removed on dispose. Clients need ForcePathStyle and checksums only when required.
/// </summary>
public sealed class S3rverFixture : NodeEmulator
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"s3rver-{Guid.NewGuid():N}");

    protected override string PackageSpec => "s3rver@3.7.1";

    protected override IEnumerable<string> NodeArguments(string installFolder, int port)
    {
        Directory.CreateDirectory(_directory);
        return
        [
            Path.Combine(installFolder, "node_modules", "s3rver", "bin", "s3rver.js"),
            "--directory", _directory, "--address", "127.0.0.1", "--silent",
            "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ];
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}
