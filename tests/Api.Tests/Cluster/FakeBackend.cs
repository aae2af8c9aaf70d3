using Personalization.Grains.Configuration;
using Personalization.Grains.Recommenders;
using Personalization.TestSupport;

namespace Personalization.Api.Tests.Cluster;

/// <summary>
/// Stands in for a remote recommender (Amazon Personalize by default): answers from <see cref="Items"/> (rerank: the
/// given list reversed), or throws <see cref="Failure"/>, and can hold calls at a gate so a test decides when they
/// finish. Each answer has a new recommendationId, so a refetch changes the body and its ETag.
/// </summary>
public sealed class FakeBackend(IReadOnlyCollection<VariationType> types) : IRecommenderBackend
{
    private readonly object _gate = new();
    private readonly List<BackendRequest> _requests = [];
    private readonly List<(int Count, TaskCompletionSource Arrived)> _waiters = [];
    private readonly CallGate _hold = new();

    public IReadOnlyCollection<VariationType> Types { get; } = types;

    /// <summary>What recommend-items and related-items return, best first.</summary>
    public IReadOnlyList<string> Items { get; set; } = ["a", "b", "c", "d", "e"];

    /// <summary>Thrown by every call while set.</summary>
    public Exception? Failure { get; set; }

    public int Calls
    {
        get
        {
            lock (_gate)
            {
                return _requests.Count;
            }
        }
    }

    public IReadOnlyList<BackendRequest> Requests
    {
        get
        {
            lock (_gate)
            {
                return [.. _requests];
            }
        }
    }

    public BackendRequest LastRequest => Requests[^1];

    public bool Supports(VariationType type) => Types.Contains(type);

    /// <summary>Calls from now on wait until <see cref="Release"/>.</summary>
    public void Hold() => _hold.Hold();

    /// <summary>Lets held and future calls through.</summary>
    public void Release() => _hold.Release();

    /// <summary>Completes once <paramref name="count"/> calls in total have reached the backend.</summary>
    public Task WaitForCallsAsync(int count)
    {
        lock (_gate)
        {
            if (_requests.Count >= count)
            {
                return Task.CompletedTask;
            }

            var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((count, arrived));
            return arrived.Task.WaitAsync(TestCluster.Patience);
        }
    }

    public async Task<RecommenderResult> InvokeAsync(BackendRequest request, CancellationToken cancellationToken)
    {
        int call;
        Task held;
        List<TaskCompletionSource> arrived;
        lock (_gate)
        {
            _requests.Add(request);
            call = _requests.Count;
            held = _hold.Passage;
            arrived = _waiters.Where(w => w.Count <= call).Select(w => w.Arrived).ToList();
            _waiters.RemoveAll(w => w.Count <= call);
        }

        arrived.ForEach(a => a.TrySetResult());
        await held.WaitAsync(cancellationToken).ConfigureAwait(false);
        if (Failure is { } failure)
        {
            throw failure;
        }

        var ids = request.Recommender.Action == RecommenderAction.RerankItems
            ? (request.InputList ?? []).Reverse().ToList()
            : Items.Take(request.NumResults).ToList();
        var items = ids.Select((id, rank) => new RecommendedItem(id, Math.Round(1.0 / (rank + 1), 4))).ToArray();
        return new RecommenderResult(items, $"fake-{call}");
    }
}
