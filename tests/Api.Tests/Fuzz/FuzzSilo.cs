using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Personalization.Api.Tests.Cluster;
using Personalization.Api.Tests.Hosting;
using Personalization.Grains.Configuration;
using Xunit;

namespace Personalization.Api.Tests.Fuzz;

/// <summary>
/// One real silo (Kestrel on a loopback port, so raw sockets reach the same server as HttpClient) whose configuration
/// exercises every input surface: auto context from headers into context, filter values and event properties, a
/// built-in filter with a dynamic value, an experiment, every action, and a file event target.
/// </summary>
public sealed class FuzzSilo : IAsyncLifetime
{
    public const string Version = "fuzz-1";

    public const string ConfigJson = """
        { "version": "fuzz-1",
          "cacheControl": { "userSpecified": { "maxAge": 60, "directives": "private" }, "syntheticUserSpecified": { "maxAge": 60, "directives": "public" }, "noUserSpecified": { "maxAge": 60, "directives": "public" } },
          "namespaces": {
            "shop": {
              "inferenceItemMetadata": { "type": "localdb", "path": "items.jsonl" },
              "autoContext": {
                "deviceType": { "type": "string", "default": "Desktop", "evaluateAll": true, "rules": [
                  { "type": "header-value", "header": "cloudfront-is-mobile-viewer", "valueMappings": [ { "operator": "equals", "value": "true", "mapTo": "Phone" } ] },
                  { "type": "header-value", "header": "x-segment" } ] },
                "timeOfDay": { "type": "string", "rules": [ { "type": "hour-of-day", "valueMappings": [
                  { "operator": "less-than", "value": 12, "mapTo": "Morning" }, { "operator": "greater-than", "value": 11, "mapTo": "Later" } ] } ] },
                "weekday": { "type": "integer", "rules": [ { "type": "day-of-week" } ] },
                "season": { "type": "string", "rules": [ { "type": "season-of-year" } ] },
                "city": { "type": "string", "rules": [ { "type": "header-value", "header": "cloudfront-viewer-city" } ] },
                "latitude": { "type": "float", "rules": [ { "type": "header-value", "header": "cloudfront-viewer-latitude" } ] },
                "score": { "type": "long", "rules": [ { "type": "header-value", "header": "x-score" } ] }
              },
              "recommenders": {
                "recommend-items": {
                  "for-you": { "variations": { "personal": { "type": "builtin", "filters": [
                    { "name": "by-genre", "expression": "INCLUDE ItemID WHERE Items.genre IN ($GENRE)",
                      "autoDynamicFilterValues": { "GENRE": { "type": "string", "rules": [ { "type": "header-value", "header": "x-genre" } ] } } } ] } } },
                  "ab": { "variations": { "personal": { "type": "builtin" }, "popular": { "type": "builtin", "algorithm": "trending" } },
                          "experiments": { "home": { "method": "builtin", "arms": { "personal": { "weight": 1 }, "popular": { "weight": 1 } } } } }
                },
                "related-items": { "similar": { "variations": { "sims": { "type": "builtin", "algorithm": "similar-items" } } } },
                "rerank-items": { "rank": { "variations": { "rank": { "type": "builtin", "algorithm": "rerank" } } } }
              },
              "eventTargets": [ { "type": "file", "path": "events.jsonl" } ]
            }
          }
        }
        """;

    private readonly string _folder = Directory.CreateTempSubdirectory("fuzz-silo-").FullName;
    private LoopbackSilo? _silo;

    internal LoopbackSilo Silo => _silo ?? throw new InvalidOperationException("not started");

    public HttpClient Client => Silo.Client;

    /// <summary>Warnings and errors of the silo: a failing case shows the bug the server logged for it.</summary>
    public CapturedLogs Logs { get; } = new();

    public IPEndPoint EndPoint { get; private set; } = null!;

    public string ConfigPath => Path.Combine(_folder, "config.json");

    public ConfigurationStore Configuration => Silo.Services.GetRequiredService<ConfigurationStore>();

    public FileConfigurationSource ConfigurationSource => Silo.Services.GetRequiredService<FileConfigurationSource>();

    public async Task InitializeAsync()
    {
        string[] genres = ["rock", "jazz", "pop"];
        await File.WriteAllLinesAsync(
            Path.Combine(_folder, "items.jsonl"),
            Enumerable.Range(0, 30).Select(i => $$"""{"id":"i{{i}}","name":"Item {{i}}","genre":"{{genres[i % 3]}}","price":{{i}}.5}"""));
        _silo = await LoopbackSilo.StartAsync(_folder, ConfigJson, ["--Samples:Generate=false"], configure: builder => builder.Logging.AddProvider(Logs));
        var address = Silo.Address.Split(':');
        EndPoint = new IPEndPoint(IPAddress.Parse(address[0]), int.Parse(address[1], System.Globalization.CultureInfo.InvariantCulture));
        await AssertReadyAsync("at start");
    }

    public async Task DisposeAsync()
    {
        if (_silo is not null)
        {
            await _silo.DisposeAsync();
        }

        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>The errors the silo logged with their exceptions, newest last, for the message of a failing case.</summary>
    public string LoggedErrors() => string.Join(
        "\n",
        Logs.Entries.Where(e => e.Level >= LogLevel.Error).TakeLast(3).Select(e => $"{e.Category}: {e.Message}\n{e.Exception}"));

    /// <summary>The silo answers /ready with 200 on the configuration it started with.</summary>
    public async Task AssertReadyAsync(string when)
    {
        using var ready = await Client.GetAsync("/ready");
        Assert.True(ready.StatusCode == HttpStatusCode.OK, $"/ready {when}: {(int)ready.StatusCode} {await ready.Content.ReadAsStringAsync()}");
        Assert.Equal(Version, Configuration.Current?.Version);
    }

    /// <summary>
    /// Writes <paramref name="request"/> as it is to a fresh connection and reads what comes back until the server
    /// closes. When the server has gone quiet for <see cref="AnswerPatience"/> (it waits for bytes the request
    /// announced but never sent), the connection is half-closed so the server sees the end instead of a timeout.
    /// Not sooner: Kestrel may close without answering a request whose connection is already half-closed.
    /// </summary>
    public async Task<RawResponse> SendRawAsync(byte[] request)
    {
        using var client = new TcpClient();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await client.ConnectAsync(EndPoint, timeout.Token);
        var stream = client.GetStream();
        try
        {
            await stream.WriteAsync(request, timeout.Token);
        }
        catch (IOException)
        {
            // The server may refuse and close before it has read everything: what it answered is still to be read.
        }

        var received = new MemoryStream();
        var buffer = new byte[16 * 1024];
        try
        {
            var halfClosed = false;
            while (true)
            {
                var pending = stream.ReadAsync(buffer, timeout.Token).AsTask();
                if (!halfClosed && await Task.WhenAny(pending, Task.Delay(AnswerPatience, timeout.Token)) != pending)
                {
                    client.Client.Shutdown(SocketShutdown.Send);
                    halfClosed = true;
                }

                var read = await pending;
                if (read == 0)
                {
                    break;
                }

                received.Write(buffer, 0, read);
            }
        }
        catch (IOException)
        {
            // A reset after the answer: keep what arrived.
        }

        return RawResponse.Parse(received.ToArray());
    }

    private static readonly TimeSpan AnswerPatience = TimeSpan.FromMilliseconds(300);
}

/// <summary>The first response on a raw connection: its status (null when the server closed without answering) and the whole text.</summary>
public sealed record RawResponse(int? Status, string Text)
{
    public static RawResponse Parse(byte[] bytes)
    {
        var text = Encoding.Latin1.GetString(bytes);
        var status = text.StartsWith("HTTP/1.", StringComparison.Ordinal) && text.Length >= 12
            && int.TryParse(text.AsSpan(9, 3), System.Globalization.CultureInfo.InvariantCulture, out var code) ? code : (int?)null;
        return new RawResponse(status, text);
    }
}

[CollectionDefinition(Name)]
public sealed class FuzzCollection : ICollectionFixture<FuzzSilo>
{
    public const string Name = "fuzz";
}
