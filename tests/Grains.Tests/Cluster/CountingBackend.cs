using Personalization.Grains.Configuration;
using Personalization.Grains.Recommenders;
using Personalization.Grains.Recommenders.BuiltIn;
using Personalization.TestSupport;

namespace Personalization.Grains.Tests.Cluster;

/// <summary>
/// Every backend call of the test cluster, whichever silo made it: a cache test counts the calls made for its own
/// user (tests share a cluster, so counts are per user). <see cref="Hold"/> keeps calls waiting until
/// <see cref="Release"/>, so a test can have many requests miss at once.
/// </summary>
public sealed class BackendLog
{
    private readonly object _gate = new();
    private readonly List<(string Silo, string? UserId)> _calls = [];
    private readonly CallGate _hold = new();

    public int CallsFor(string userId)
    {
        lock (_gate)
        {
            return _calls.Count(c => c.UserId == userId);
        }
    }

    /// <summary>The silos that called the backend for <paramref name="userId"/>, in order.</summary>
    public IReadOnlyList<string> SilosFor(string userId)
    {
        lock (_gate)
        {
            return _calls.Where(c => c.UserId == userId).Select(c => c.Silo).ToList();
        }
    }

    /// <summary>Users whose calls to variations (keys) in this set fail as Unavailable; fallbacks have their own keys.</summary>
    public HashSet<string> FailingVariations { get; } = new(StringComparer.Ordinal);

    public void Hold() => _hold.Hold();

    public void Release() => _hold.Release();

    internal Task Record(string silo, string? userId)
    {
        lock (_gate)
        {
            _calls.Add((silo, userId));
            return _hold.Passage;
        }
    }
}

/// <summary>
/// The silo's real built-in recommender behind a counter: responses are what production would serve (the built-in
/// backend gives each answer a new recommendationId, so a refetch changes the body and its ETag). Registered before
/// <c>AddPersonalizationGrains</c>, so <see cref="RecommenderBackends"/> picks it for built-in variations.
/// </summary>
public sealed class CountingBackend(BackendLog log, string silo, BuiltInRecommenderBackend inner) : IRecommenderBackend
{
    public bool Supports(VariationType type) => inner.Supports(type);

    public async Task<RecommenderResult> InvokeAsync(BackendRequest request, CancellationToken cancellationToken)
    {
        await log.Record(silo, request.UserId).WaitAsync(cancellationToken).ConfigureAwait(false);
        bool failing;
        lock (log.FailingVariations)
        {
            failing = log.FailingVariations.Contains(request.Variation.Key);
        }

        return failing
            ? throw new RecommenderBackendException(BackendFailure.Unavailable, "Injected", $"variation '{request.Variation.Key}' is failing on purpose")
            : await inner.InvokeAsync(request, cancellationToken).ConfigureAwait(false);
    }
}
