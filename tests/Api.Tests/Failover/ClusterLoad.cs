using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using Personalization.Api.Tests.Cluster;

namespace Personalization.Api.Tests.Failover;

/// <summary>
/// Steady mixed load over the silos' HTTP ports and what it saw: every request's outcome and timing, successes per
/// silo, and the event ids the service answered 200/202 for. A round, per worker and random sample user: GET
/// recommend-items (a miss when the user's last event cleared the cache), the same GET again (a cache hit), then
/// POST one event. Requests go round-robin over <see cref="Targets"/>, which a drill changes as silos come and go.
/// </summary>
internal sealed class ClusterLoad(HttpClient http, string ns)
{
    public const string Recommend = "GET recommend-items";
    public const string RecommendAgain = "GET recommend-items again (cache hit)";
    public const string Event = "POST events";

    private const int MaxRequests = 100_000;
    private readonly ConcurrentQueue<Result> _results = new();
    private readonly ConcurrentDictionary<string, int> _successesByUrl = new();
    private readonly ConcurrentDictionary<long, TimeSpan> _inFlight = new();
    private long _requestIds;
    private readonly object _gate = new();
    private TimeSpan? _disruptedAt;
    private TimeSpan _lastCompletion;
    private TimeSpan _streakStart;
    private int _successesSinceFailure;
    private int _eventsPosted;

    public volatile string[] Targets = [];

    public Stopwatch Clock { get; } = Stopwatch.StartNew();

    public ConcurrentBag<string> AcceptedEventIds { get; } = [];

    public int EventsPosted => _eventsPosted;

    public int SuccessesAt(string url) => _successesByUrl.GetValueOrDefault(url);

    /// <summary>From now on a failure restarts the recovery streak (<see cref="RecoveredStreak"/>).</summary>
    public TimeSpan MarkDisruption()
    {
        lock (_gate)
        {
            var now = Clock.Elapsed;
            _disruptedAt = now;
            _successesSinceFailure = 0;
            _streakStart = now;
            return now;
        }
    }

    /// <summary>
    /// At least <paramref name="requests"/> successes in a row, over at least <paramref name="time"/>, since the
    /// disruption's last failure, and no request still in flight from before that streak began (a request hanging on
    /// a dead silo's grain has not succeeded yet).
    /// </summary>
    public bool RecoveredStreak(int requests, TimeSpan time)
    {
        lock (_gate)
        {
            return _disruptedAt is not null && _successesSinceFailure >= requests && _lastCompletion - _streakStart >= time
                && _inFlight.Values.All(started => started >= _streakStart);
        }
    }

    /// <summary>Requests started in [<paramref name="from"/>, <paramref name="to"/>).</summary>
    public List<Result> Between(TimeSpan from, TimeSpan to) => _results.Where(r => r.Started >= from && r.Started < to).ToList();

    /// <summary>One GET per sample user, round-robin over the targets, so every silo hosts its share of users.</summary>
    public Task WarmAsync()
    {
        var targets = Targets;
        return Parallel.ForEachAsync(Enumerable.Range(1, SampleData.Options.UserCount), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (u, _) =>
        {
            var url = targets[u % targets.Length];
            await SendAsync(url, Recommend, () => new HttpRequestMessage(HttpMethod.Get, $"{url}/recommend-items/{ns}/for-you/u{u:D5}?numResults=5"), eventId: null);
        });
    }

    public Task RunAsync(int workers, CancellationToken stop) =>
        Task.WhenAll(Enumerable.Range(0, workers).Select(w => Task.Run(() => LoopAsync(w, stop), CancellationToken.None)));

    /// <summary>Waits until every silo in <paramref name="urls"/> has answered <paramref name="count"/> more requests successfully.</summary>
    public async Task WaitUntilServedAsync(IReadOnlyCollection<string> urls, int count, TimeSpan timeout)
    {
        var start = urls.ToDictionary(u => u, SuccessesAt);
        var deadline = Clock.Elapsed + timeout;
        while (urls.Any(u => SuccessesAt(u) - start[u] < count))
        {
            if (Clock.Elapsed > deadline)
            {
                throw new TimeoutException($"not every silo answered {count} requests within {timeout.TotalSeconds:F0} s: {string.Join(", ", urls.Select(u => $"{u} {SuccessesAt(u) - start[u]}"))}");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>"3x GET recommend-items timeout, 1x POST events 503", most frequent first.</summary>
    public static string Summary(IEnumerable<Result> failures) =>
        string.Join(", ", failures.GroupBy(f => f.Outcome).OrderByDescending(g => g.Count()).Select(g => $"{g.Count()}x {g.Key}")) is { Length: > 0 } text ? text : "none";

    private async Task LoopAsync(int worker, CancellationToken stop)
    {
        var random = new Random(worker + 1);
        var n = worker;
        while (!stop.IsCancellationRequested && _results.Count < MaxRequests)
        {
            var targets = Targets;
            var url = targets[n++ % targets.Length];
            var user = $"u{random.Next(1, SampleData.Options.UserCount + 1):D5}";
            var recommend = $"{url}/recommend-items/{ns}/for-you/{user}?numResults=5";
            await SendAsync(url, Recommend, () => new HttpRequestMessage(HttpMethod.Get, recommend), eventId: null);
            await SendAsync(url, RecommendAgain, () => new HttpRequestMessage(HttpMethod.Get, recommend), eventId: null);

            var eventId = Guid.NewGuid().ToString("N");
            var body = $$"""{"sessionId":"drill-{{worker}}","userId":"{{user}}","eventList":[{"eventId":"{{eventId}}","eventType":"view","itemId":"i{{random.Next(1, SampleData.Options.ItemCount + 1):D5}}"}]}""";
            Interlocked.Increment(ref _eventsPosted);
            await SendAsync(url, Event, () => new HttpRequestMessage(HttpMethod.Post, $"{url}/events/{ns}") { Content = new StringContent(body, Encoding.UTF8, new MediaTypeHeaderValue("application/json")) }, eventId);

            // Steady, not flat out: the machine also runs three silos and the store.
            await Task.Delay(10, CancellationToken.None);
        }
    }

    private async Task SendAsync(string url, string kind, Func<HttpRequestMessage> request, string? eventId)
    {
        var started = Clock.Elapsed;
        var id = Interlocked.Increment(ref _requestIds);
        _inFlight[id] = started;
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

        var completed = Clock.Elapsed;
        _inFlight.TryRemove(id, out _);
        _results.Enqueue(new Result(url, kind, outcome, success, started, completed - started));
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

            if (_disruptedAt is not { } disruptedAt)
            {
                return;
            }

            if (success)
            {
                _successesSinceFailure++;
            }
            else if (completed >= disruptedAt)
            {
                _successesSinceFailure = 0;
                _streakStart = completed;
            }
        }
    }

    public sealed record Result(string Url, string Kind, string Outcome, bool Success, TimeSpan Started, TimeSpan Duration);
}
