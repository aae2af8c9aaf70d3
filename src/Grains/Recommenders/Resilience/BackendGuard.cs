using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Personalization.Grains.Configuration;
using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace Personalization.Grains.Recommenders.Resilience;

/// <summary>
/// Stands between the pipeline and every remote backend, one set of state per backend (ARN, URL or endpoint) shared
/// by all grains of this silo: the quota guard (token bucket at <c>maxRequestsPerSecond</c> ÷ live silos), the
/// circuit breaker (Polly: opens on a failure ratio, one probe while half-open) and the per-call time budget. What
/// it refuses fails as a <see cref="RecommenderBackendException"/> the pipeline answers from stale or fallback. The
/// built-in recommender runs in the silo and is called directly.
/// </summary>
public sealed class BackendGuard
{
    private readonly ConcurrentDictionary<(string Key, VariationType Type), Guarded> _backends = new();
    private readonly BackendResilienceOptions _options;
    private readonly ILiveSilos _silos;
    private readonly TimeProvider _time;

    public BackendGuard(BackendResilienceOptions options, ILiveSilos silos, TimeProvider time)
    {
        options.Validate();
        _options = options;
        _silos = silos;
        _time = time;
        GuardMetrics.Register(this);
    }

    public TimeSpan RequestBudget => _options.RequestBudget;

    public Task<RecommenderResult> InvokeAsync(IRecommenderBackend backend, BackendRequest request, CancellationToken cancellationToken)
    {
        var variation = request.Variation;
        if (variation.BackendKey is not { } key)
        {
            return backend.InvokeAsync(request, cancellationToken);
        }

        var guarded = _backends.GetOrAdd((key, variation.Type), static (k, self) => self.Create(k.Key, k.Type), this);
        // An open breaker refuses the call anyway: it must not spend the quota that the next good calls need.
        if (variation.MaxRequestsPerSecond is { } quota
            && guarded.Circuit.CircuitState is not (CircuitState.Open or CircuitState.Isolated)
            && !guarded.Quota.TryTake((double)quota / _silos.Count))
        {
            GuardMetrics.QuotaSaved.Add(1, new KeyValuePair<string, object?>("backend", key));
            throw new RecommenderBackendException(
                BackendFailure.Throttled,
                "QuotaGuard",
                $"variation '{variation.Key}' is at its maxRequestsPerSecond ({quota} across the cluster); the call was not made.",
                TimeSpan.FromSeconds(1));
        }

        return guarded.InvokeAsync(backend, request, cancellationToken);
    }

    /// <summary>Breaker state of each backend this silo has called: 0 closed, 1 half-open, 2 open (or isolated).</summary>
    internal IEnumerable<Measurement<int>> CircuitStates()
    {
        foreach (var guarded in _backends.Values)
        {
            var state = guarded.Circuit.CircuitState switch
            {
                CircuitState.Closed => 0,
                CircuitState.HalfOpen => 1,
                _ => 2,
            };
            yield return new Measurement<int>(state, new KeyValuePair<string, object?>("backend", guarded.Key));
        }
    }

    /// <summary>The breaker state of <paramref name="key"/>, or null when this silo has not called it.</summary>
    public CircuitState? CircuitStateOf(string key) =>
        _backends.FirstOrDefault(b => b.Key.Key == key).Value?.Circuit.CircuitState;

    private Guarded Create(string key, VariationType type)
    {
        var circuit = new CircuitBreakerStateProvider();
        var budget = _options.BudgetFor(type);
        var pipeline = new ResiliencePipelineBuilder { TimeProvider = _time, Name = key }
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                FailureRatio = _options.FailureRatio,
                MinimumThroughput = _options.MinimumThroughput,
                SamplingDuration = _options.SamplingDuration,
                BreakDuration = _options.BreakDuration,
                StateProvider = circuit,
                ShouldHandle = static args => ValueTask.FromResult(args.Outcome.Exception is TimeoutRejectedException or RecommenderBackendException { IsBackendOutage: true }),
                OnOpened = _ => { GuardMetrics.CircuitOpened.Add(1, new KeyValuePair<string, object?>("backend", key)); return default; },
            })
            .AddTimeout(budget)
            .Build();
        return new Guarded(key, type, budget, pipeline, circuit, new TokenBucket(_time));
    }

    private sealed record Guarded(string Key, VariationType Type, TimeSpan Budget, ResiliencePipeline Pipeline, CircuitBreakerStateProvider Circuit, TokenBucket Quota)
    {
        public async Task<RecommenderResult> InvokeAsync(IRecommenderBackend backend, BackendRequest request, CancellationToken cancellationToken)
        {
            var tag = new KeyValuePair<string, object?>("backend", Key);
            GuardMetrics.Calls.Add(1, tag);
            try
            {
                return await Pipeline.ExecuteAsync(
                    static (s, ct) => new ValueTask<RecommenderResult>(s.Backend.InvokeAsync(s.Request, ct)),
                    (Backend: backend, Request: request),
                    cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutRejectedException exception)
            {
                GuardMetrics.Timeouts.Add(1, tag);
                throw new RecommenderBackendException(
                    BackendFailure.Timeout,
                    "BackendTimeout",
                    $"variation '{request.Variation.Key}' did not answer within its budget of {Budget.TotalMilliseconds:0} ms.",
                    inner: exception);
            }
            catch (OperationCanceledException exception) when (cancellationToken.IsCancellationRequested)
            {
                // The caller's budget (what is left of the request's) ran out before this backend's own.
                GuardMetrics.Timeouts.Add(1, tag);
                throw new RecommenderBackendException(
                    BackendFailure.Timeout,
                    "RequestBudgetSpent",
                    $"the request's time budget ran out while variation '{request.Variation.Key}' was called.",
                    inner: exception);
            }
            catch (BrokenCircuitException exception)
            {
                GuardMetrics.CircuitRejected.Add(1, tag);
                throw new RecommenderBackendException(
                    BackendFailure.Unavailable,
                    "CircuitOpen",
                    $"calls to the backend of variation '{request.Variation.Key}' are paused after repeated failures; retry shortly.",
                    exception.RetryAfter ?? TimeSpan.FromSeconds(1),
                    exception);
            }
            catch (Exception)
            {
                GuardMetrics.Failures.Add(1, tag);
                throw;
            }
        }
    }
}

/// <summary>Per-backend instruments on the recommendations meter (tagged by backend: ARNs and URLs of the configuration, few).</summary>
internal static class GuardMetrics
{
    public static readonly Counter<long> Calls = Recommendations.RecommendationMetrics.Meter.CreateCounter<long>("recommendations.backend.guarded_calls", description: "Calls to remote backends through the guard, by backend");

    public static readonly Counter<long> Failures = Recommendations.RecommendationMetrics.Meter.CreateCounter<long>("recommendations.backend.failures", description: "Remote backend calls that failed (other than timeouts), by backend");

    public static readonly Counter<long> Timeouts = Recommendations.RecommendationMetrics.Meter.CreateCounter<long>("recommendations.backend.timeouts", description: "Remote backend calls cut at their time budget, by backend");

    public static readonly Counter<long> CircuitRejected = Recommendations.RecommendationMetrics.Meter.CreateCounter<long>("recommendations.backend.circuit_rejected", description: "Calls not made because the backend's breaker was open, by backend");

    public static readonly Counter<long> CircuitOpened = Recommendations.RecommendationMetrics.Meter.CreateCounter<long>("recommendations.backend.circuit_opened", description: "Times a backend's breaker opened, by backend");

    public static readonly Counter<long> QuotaSaved = Recommendations.RecommendationMetrics.Meter.CreateCounter<long>("recommendations.backend.quota_saved", description: "Calls the quota guard kept from a backend (answered from stale or fallback instead), by backend");

    private static readonly List<WeakReference<BackendGuard>> Guards = [];

    static GuardMetrics()
    {
        Recommendations.RecommendationMetrics.Meter.CreateObservableGauge(
            "recommendations.backend.circuit_state",
            Observe,
            description: "Breaker state per backend: 0 closed, 1 half-open, 2 open");
    }

    /// <summary>Every silo of a test process has its own guard; the gauge reports them all.</summary>
    public static void Register(BackendGuard guard)
    {
        lock (Guards)
        {
            Guards.RemoveAll(w => !w.TryGetTarget(out _));
            Guards.Add(new WeakReference<BackendGuard>(guard));
        }
    }

    private static IEnumerable<Measurement<int>> Observe()
    {
        List<BackendGuard> guards;
        lock (Guards)
        {
            guards = [.. Guards.Select(w => w.TryGetTarget(out var g) ? g : null).OfType<BackendGuard>()];
        }

        return guards.SelectMany(g => g.CircuitStates()).ToArray();
    }
}
