using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Personalization.Runtime.CodeGeneration;
using Personalization.Runtime.Core;

namespace Personalization.Runtime;

/// <summary>
/// The silo-local grain runtime: hands out references, keeps one activation per grain id, collects idle and
/// over-capacity activations, and deactivates everything on shutdown. Registered by AddGrainRuntime.
/// </summary>
public sealed class GrainRuntime : IGrainFactory, IHostedService, IAsyncDisposable
{
    private readonly ConcurrentDictionary<GrainId, Activation> _activations = new();
    private readonly ConcurrentDictionary<string, GrainTypeActivations> _types = new(StringComparer.Ordinal);
    private readonly ActivationCollector _collector;
    private volatile bool _stopped;

    public GrainRuntime(IServiceProvider services, IOptions<GrainRuntimeOptions> options, TimeProvider timeProvider, ILogger<GrainRuntime> logger)
    {
        Services = services;
        Options = options.Value;
        Options.Validate();
        TimeProvider = timeProvider;
        Logger = logger;
        Metrics = new RuntimeMetrics(ObserveLiveActivations);
        _collector = new ActivationCollector(this);
    }

    public TimeProvider TimeProvider { get; }

    internal IServiceProvider Services { get; }

    internal GrainRuntimeOptions Options { get; }

    internal ILogger Logger { get; }

    internal RuntimeMetrics Metrics { get; }

    internal ICollection<Activation> Activations => _activations.Values;

    internal ActivationCollector Collector => _collector;

    public TGrainInterface GetGrain<TGrainInterface>(string key) where TGrainInterface : IGrainWithStringKey
    {
        ArgumentNullException.ThrowIfNull(key);
        var binding = GrainRegistry.Resolve<TGrainInterface>();
        return binding.Create(new GrainReferenceTarget(this, new GrainId(binding.GrainClass.TypeName, key), binding.GrainClass));
    }

    /// <summary>The identity <see cref="GetGrain{TGrainInterface}"/> would address.</summary>
    public GrainId GetGrainId<TGrainInterface>(string key) where TGrainInterface : IGrainWithStringKey
    {
        ArgumentNullException.ThrowIfNull(key);
        return new GrainId(GrainRegistry.Resolve<TGrainInterface>().GrainClass.TypeName, key);
    }

    public bool IsActive(GrainId grainId) => _activations.ContainsKey(grainId);

    public int GetLiveActivationCount(string grainType) =>
        _types.TryGetValue(grainType, out var type) ? type.Live : 0;

    /// <summary>Deactivates one grain (after its running and queued calls); completes when it is gone. No-op if not active.</summary>
    public Task DeactivateAsync(GrainId grainId, CancellationToken cancellationToken = default) =>
        _activations.TryGetValue(grainId, out var activation)
            ? activation.DeactivateAsync(new DeactivationReason(DeactivationReasonCode.ApplicationRequested, "requested by the host")).WaitAsync(cancellationToken)
            : Task.CompletedTask;

    public Task DeactivateAllAsync(CancellationToken cancellationToken = default) =>
        DeactivateAllAsync(new DeactivationReason(DeactivationReasonCode.ApplicationRequested, "requested by the host"), cancellationToken);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_stopped, this);
        _collector.Start();
        return Task.CompletedTask;
    }

    /// <summary>Stops collection, refuses new activations and deactivates every activation.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _stopped = true;
        _collector.Stop();
        await DeactivateAllAsync(new DeactivationReason(DeactivationReasonCode.ShuttingDown, "silo stopping"), cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stopped)
        {
            await StopAsync(CancellationToken.None).ConfigureAwait(false);
        }

        Metrics.Dispose();
    }

    internal Activation? FindActivation(GrainId grainId) => _activations.GetValueOrDefault(grainId);

    internal Activation GetOrCreateActivation(GrainId grainId, GrainClassRegistration grainClass)
    {
        if (_activations.TryGetValue(grainId, out var existing))
        {
            return existing;
        }

        ObjectDisposedException.ThrowIf(_stopped, this);
        var created = new Activation(this, grainId, grainClass);
        var winner = _activations.GetOrAdd(grainId, created);
        if (!ReferenceEquals(winner, created))
        {
            return winner;
        }

        var type = _types.GetOrAdd(grainId.Type, static name => new GrainTypeActivations(name));
        type.Added();
        Metrics.ActivationCreated(grainId.Type);
        _ = created.ActivateAsync();
        _collector.OnActivationCreated(type);
        return created;
    }

    internal void OnActivationGone(Activation activation, DeactivationReason reason)
    {
        if (_activations.TryRemove(new KeyValuePair<GrainId, Activation>(activation.GrainId, activation)) &&
            _types.TryGetValue(activation.GrainId.Type, out var type))
        {
            type.Removed();
            Metrics.ActivationCollected(activation.GrainId.Type, reason.Code);
        }
    }

    private Task DeactivateAllAsync(DeactivationReason reason, CancellationToken cancellationToken) =>
        Task.WhenAll(_activations.Values.Select(a => a.DeactivateAsync(reason))).WaitAsync(cancellationToken);

    private IEnumerable<Measurement<int>> ObserveLiveActivations() =>
        _types.Values.Select(t => new Measurement<int>(t.Live, new KeyValuePair<string, object?>("grain.type", t.GrainType)));
}
