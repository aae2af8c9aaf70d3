using Microsoft.Extensions.DependencyInjection;
using Personalization.Grains.Configuration;
using Personalization.Grains.Recommenders;

namespace Personalization.Api.Tests.Cluster;

/// <summary>Every backend call of a cluster (built-in and fakes alike), recorded by a decorator around each registered backend.</summary>
public sealed class BackendCallLog
{
    private readonly object _gate = new();
    private readonly List<BackendRequest> _calls = [];

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _calls.Count;
            }
        }
    }

    public int CountWhere(Func<BackendRequest, bool> predicate)
    {
        lock (_gate)
        {
            return _calls.Count(predicate);
        }
    }

    /// <summary>Calls made for one recommender (its name in the config).</summary>
    public int CountFor(string recommender) => CountWhere(r => r.Recommender.Name == recommender);

    internal void Record(BackendRequest request)
    {
        lock (_gate)
        {
            _calls.Add(request);
        }
    }

    /// <summary>Replaces each <see cref="IRecommenderBackend"/> registration with one that records into this log first.</summary>
    internal void Decorate(IServiceCollection services)
    {
        for (var i = 0; i < services.Count; i++)
        {
            var descriptor = services[i];
            if (descriptor.ServiceType != typeof(IRecommenderBackend) || descriptor.IsKeyedService)
            {
                continue;
            }

            services[i] = ServiceDescriptor.Singleton<IRecommenderBackend>(sp => new CountingBackend(Create(sp, descriptor), this));
        }
    }

    private static IRecommenderBackend Create(IServiceProvider services, ServiceDescriptor descriptor) =>
        (IRecommenderBackend)(descriptor.ImplementationInstance
            ?? descriptor.ImplementationFactory?.Invoke(services)
            ?? ActivatorUtilities.CreateInstance(services, descriptor.ImplementationType!));

    private sealed class CountingBackend(IRecommenderBackend inner, BackendCallLog log) : IRecommenderBackend
    {
        public bool Supports(VariationType type) => inner.Supports(type);

        public Task<RecommenderResult> InvokeAsync(BackendRequest request, CancellationToken cancellationToken)
        {
            log.Record(request);
            return inner.InvokeAsync(request, cancellationToken);
        }
    }
}
