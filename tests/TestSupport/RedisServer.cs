using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Xunit;

namespace Personalization.TestSupport;

/// <summary>
/// A throw-away redis-server on a free loopback port, no persistence (<c>--save '' --appendonly no</c>), stopped on
/// dispose. Needs the Debian package redis-server (binary on PATH or in /usr/bin); without it the test fails with the
/// install command, never skips (.ci/run installs it).
/// </summary>
public sealed class RedisServer : IAsyncLifetime
{
    public const string InstallHint = "redis-server is not installed (looked on PATH and in /usr/bin); install it with: apt-get install -y redis-server";

    private readonly ConcurrentQueue<string> _output = new();
    private Process? _process;

    public int Port { get; private set; }

    /// <summary>StackExchange.Redis form, e.g. <c>127.0.0.1:6379</c>.</summary>
    public string ConnectionString => $"127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>redis-server's last lines of output, for failure messages.</summary>
    public string OutputTail => string.Join(Environment.NewLine, _output.TakeLast(40));

    public static string? FindBinary() => Executables.Find("redis-server");

    public async Task InitializeAsync()
    {
        var binary = FindBinary() ?? throw new InvalidOperationException(InstallHint);
        Port = NodeEmulator.FreeLoopbackPort();
        var start = new ProcessStartInfo(binary) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "--port", Port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no" })
        {
            start.ArgumentList.Add(argument);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {binary}");
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        await WaitForPongAsync(TimeSpan.FromSeconds(30));
    }

    public Task DisposeAsync()
    {
        try
        {
            if (_process is { HasExited: false })
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        _process?.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>True when the server answers <c>PING</c> with <c>+PONG</c> (raw RESP inline command, no client library).</summary>
    public static async Task<bool> PingAsync(int port, CancellationToken cancellationToken = default)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, port, cancellationToken);
            var stream = client.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray(), cancellationToken);
            var buffer = new byte[64];
            var read = await stream.ReadAsync(buffer, cancellationToken);
            return read > 0 && Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (Exception e) when (e is SocketException or IOException)
        {
            return false;
        }
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        while (_output.Count > 200)
        {
            _output.TryDequeue(out _);
        }
    }

    private async Task WaitForPongAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process!.HasExited)
            {
                throw new InvalidOperationException($"redis-server exited with code {_process.ExitCode} before answering PING:{Environment.NewLine}{OutputTail}");
            }

            using var attempt = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            try
            {
                if (await PingAsync(Port, attempt.Token))
                {
                    return;
                }
            }
            catch (OperationCanceledException)
            {
                // Slow machine: try again.
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"redis-server did not answer PING on port {Port} within {timeout}:{Environment.NewLine}{OutputTail}");
    }
}
