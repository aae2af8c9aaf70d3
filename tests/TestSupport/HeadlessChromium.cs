using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Personalization.TestSupport;

/// <summary>
/// Debian's Chromium, headless, driven over the DevTools protocol (a WebSocket; no npm, no browser download): load a
/// page with JavaScript on or off, read the DOM as the browser parsed it, take a PNG screenshot. One fresh profile
/// folder per instance, removed on dispose. Without the package the start fails with the install command, never
/// skips (<c>.ci/run</c> installs it).
/// </summary>
public sealed class HeadlessChromium : IAsyncDisposable
{
    public const string InstallHint = "chromium is not installed (looked on PATH, /usr/bin and /usr/local/bin); install Debian's package with: apt-get install -y chromium (.ci/run does)";

    /// <summary>The flags that keep Chromium quiet on a machine without outside network (and running as root).</summary>
    public static readonly IReadOnlyList<string> Flags =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", "--hide-scrollbars", "--remote-debugging-port=0",
    ];

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly DirectoryInfo _profile;
    private readonly ClientWebSocket _socket;
    private readonly ConcurrentQueue<string> _output;
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonElement>> _pending = new();
    private readonly ConcurrentDictionary<(string Session, string Method), TaskCompletionSource<JsonElement>> _awaitedEvents = new();
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _reader;
    private int _nextId;

    private HeadlessChromium(Process process, DirectoryInfo profile, ClientWebSocket socket, ConcurrentQueue<string> output)
    {
        _process = process;
        _profile = profile;
        _socket = socket;
        _output = output;
        _reader = Task.Run(ReadAsync);
    }

    /// <summary>Chromium's last lines of output, for failure messages.</summary>
    public string OutputTail => string.Join(Environment.NewLine, _output.TakeLast(30));

    public static async Task<HeadlessChromium> StartAsync()
    {
        var binary = Executables.Find("chromium") ?? throw new InvalidOperationException(InstallHint);
        var profile = Directory.CreateTempSubdirectory("chromium-profile-");
        var start = new ProcessStartInfo(binary) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var flag in Flags.Append("--user-data-dir=" + profile.FullName).Append("about:blank"))
        {
            start.ArgumentList.Add(flag);
        }

        var output = new ConcurrentQueue<string>();
        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {binary}");
        process.OutputDataReceived += (_, e) => Keep(output, e.Data);
        process.ErrorDataReceived += (_, e) => Keep(output, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            var endpoint = await WaitForDevToolsAsync(process, profile, output);
            var socket = new ClientWebSocket();
            socket.Options.KeepAliveInterval = TimeSpan.Zero;
            using var connect = new CancellationTokenSource(Patience);
            await socket.ConnectAsync(endpoint, connect.Token);
            return new HeadlessChromium(process, profile, socket, output);
        }
        catch
        {
            Stop(process);
            profile.Delete(recursive: true);
            throw;
        }
    }

    /// <summary>
    /// Opens a tab of <paramref name="width"/>×<paramref name="height"/> CSS pixels with JavaScript on or off (off also for
    /// the page's own scripts: <c>Emulation.setScriptExecutionDisabled</c>), loads <paramref name="url"/> and waits for
    /// its load event. Fails when the navigation fails (refused connection, bad address).
    /// </summary>
    public async Task<BrowserTab> OpenAsync(Uri url, bool javaScript, int width = 1280, int height = 900)
    {
        var target = await SendAsync(null, "Target.createTarget", new JsonObject { ["url"] = "about:blank" });
        var session = (await SendAsync(null, "Target.attachToTarget", new JsonObject { ["targetId"] = target.GetProperty("targetId").GetString(), ["flatten"] = true }))
            .GetProperty("sessionId").GetString()!;
        await SendAsync(session, "Page.enable", []);
        await SendAsync(session, "Emulation.setScriptExecutionDisabled", new JsonObject { ["value"] = !javaScript });
        await SendAsync(session, "Emulation.setDeviceMetricsOverride", new JsonObject { ["width"] = width, ["height"] = height, ["deviceScaleFactor"] = 1, ["mobile"] = false });
        var loaded = AwaitEvent(session, "Page.loadEventFired");
        var navigation = await SendAsync(session, "Page.navigate", new JsonObject { ["url"] = url.AbsoluteUri });
        if (navigation.TryGetProperty("errorText", out var error) && error.GetString() is { Length: > 0 } text)
        {
            throw new InvalidOperationException($"chromium could not load {url}: {text}");
        }

        await loaded.WaitAsync(Patience);
        return new BrowserTab(this, session, width, height);
    }

    internal Task<JsonElement> AwaitEvent(string session, string method)
    {
        var waiter = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        _awaitedEvents[(session, method)] = waiter;
        return waiter.Task;
    }

    internal async Task<JsonElement> SendAsync(string? session, string method, JsonObject parameters)
    {
        var id = Interlocked.Increment(ref _nextId);
        var answer = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = answer;
        var message = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters };
        if (session is not null)
        {
            message["sessionId"] = session;
        }

        var bytes = Encoding.UTF8.GetBytes(message.ToJsonString());
        await _sendLock.WaitAsync();
        try
        {
            await _socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, _stop.Token);
        }
        finally
        {
            _sendLock.Release();
        }

        try
        {
            return await answer.Task.WaitAsync(Patience);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"chromium did not answer {method} within {Patience}:{Environment.NewLine}{OutputTail}");
        }
    }

    private async Task ReadAsync()
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        try
        {
            while (!_stop.IsCancellationRequested && _socket.State == WebSocketState.Open)
            {
                message.SetLength(0);
                WebSocketReceiveResult received;
                do
                {
                    received = await _socket.ReceiveAsync(buffer, _stop.Token);
                    message.Write(buffer, 0, received.Count);
                }
                while (!received.EndOfMessage && received.MessageType != WebSocketMessageType.Close);

                if (received.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                Dispatch(message.GetBuffer().AsMemory(0, (int)message.Length));
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
            // Closing, or the browser went away: whoever still waits is failed below.
        }

        foreach (var waiter in _pending.Values)
        {
            waiter.TrySetException(new InvalidOperationException($"the connection to chromium closed:{Environment.NewLine}{OutputTail}"));
        }
    }

    private void Dispatch(ReadOnlyMemory<byte> json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        if (root.TryGetProperty("id", out var id))
        {
            if (_pending.TryRemove(id.GetInt32(), out var answer))
            {
                if (root.TryGetProperty("error", out var error))
                {
                    answer.TrySetException(new InvalidOperationException("chromium answered with an error: " + error.GetRawText()));
                }
                else
                {
                    answer.TrySetResult(root.GetProperty("result").Clone());
                }
            }

            return;
        }

        var session = root.TryGetProperty("sessionId", out var s) ? s.GetString() ?? string.Empty : string.Empty;
        if (root.TryGetProperty("method", out var method) && _awaitedEvents.TryRemove((session, method.GetString() ?? string.Empty), out var waiter))
        {
            waiter.TrySetResult(root.TryGetProperty("params", out var parameters) ? parameters.Clone() : default);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_socket.State == WebSocketState.Open)
            {
                using var close = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                var id = Interlocked.Increment(ref _nextId);
                await _socket.SendAsync(Encoding.UTF8.GetBytes($$"""{"id":{{id.ToString(CultureInfo.InvariantCulture)}},"method":"Browser.close"}"""), WebSocketMessageType.Text, true, close.Token);
                await _process.WaitForExitAsync(close.Token);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
            // Not closing by itself: stopped below.
        }

        await _stop.CancelAsync();
        await _reader;
        _socket.Dispose();
        Stop(_process);
        _process.Dispose();
        _stop.Dispose();
        _sendLock.Dispose();
        try
        {
            _profile.Delete(recursive: true);
        }
        catch (IOException)
        {
            // A file still held by an exiting child process: the OS temp cleaner gets it.
        }
    }

    private static void Stop(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    /// <summary>Chromium writes the DevTools port and browser path into the profile's DevToolsActivePort once it listens.</summary>
    private static async Task<Uri> WaitForDevToolsAsync(Process process, DirectoryInfo profile, ConcurrentQueue<string> output)
    {
        var file = Path.Combine(profile.FullName, "DevToolsActivePort");
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < Patience)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"chromium exited with code {process.ExitCode} before listening:{Environment.NewLine}{string.Join(Environment.NewLine, output.TakeLast(30))}");
            }

            if (File.Exists(file))
            {
                var lines = (await File.ReadAllLinesAsync(file)).Where(line => line.Length > 0).ToArray();
                if (lines.Length >= 2)
                {
                    return new Uri($"ws://127.0.0.1:{lines[0]}{lines[1]}");
                }
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"chromium did not open its DevTools port within {Patience}:{Environment.NewLine}{string.Join(Environment.NewLine, output.TakeLast(30))}");
    }

    private static void Keep(ConcurrentQueue<string> output, string? line)
    {
        if (line is null)
        {
            return;
        }

        output.Enqueue(line);
        while (output.Count > 200)
        {
            output.TryDequeue(out _);
        }
    }
}

/// <summary>A loaded tab of <see cref="HeadlessChromium"/>.</summary>
public sealed class BrowserTab
{
    private readonly HeadlessChromium _browser;
    private readonly string _session;
    private readonly int _width;
    private readonly int _height;

    internal BrowserTab(HeadlessChromium browser, string session, int width, int height)
    {
        _browser = browser;
        _session = session;
        _width = width;
        _height = height;
    }

    /// <summary>The document as the browser holds it now (DOM.getOuterHTML: no script of the page runs for it).</summary>
    public async Task<string> OuterHtmlAsync()
    {
        var document = await _browser.SendAsync(_session, "DOM.getDocument", new JsonObject { ["depth"] = 0 });
        var html = await _browser.SendAsync(_session, "DOM.getOuterHTML", new JsonObject { ["nodeId"] = document.GetProperty("root").GetProperty("nodeId").GetInt32() });
        return html.GetProperty("outerHTML").GetString()!;
    }

    /// <summary>A PNG of the whole page at the tab's width (at least the tab's height tall).</summary>
    public async Task<byte[]> ScreenshotAsync()
    {
        var metrics = await _browser.SendAsync(_session, "Page.getLayoutMetrics", []);
        var contentHeight = (int)Math.Ceiling(metrics.GetProperty("cssContentSize").GetProperty("height").GetDouble());
        var clip = new JsonObject { ["x"] = 0, ["y"] = 0, ["width"] = _width, ["height"] = Math.Max(_height, contentHeight), ["scale"] = 1 };
        var shot = await _browser.SendAsync(_session, "Page.captureScreenshot", new JsonObject { ["format"] = "png", ["captureBeyondViewport"] = true, ["clip"] = clip });
        return Convert.FromBase64String(shot.GetProperty("data").GetString()!);
    }
}
