using Microsoft.Extensions.DependencyInjection;
using Personalization.Runtime.Storage.Memory;

namespace Personalization.Runtime.Testing;

/// <summary>
/// A grain runtime with memory storage in this process, for tests. State lives in <see cref="Store"/>, which
/// survives <see cref="RestartAsync"/>; so does the TimeProvider.
/// </summary>
public sealed class InProcessSilo : IAsyncDisposable
{
    private readonly InProcessSiloOptions _options;
    private ServiceProvider _services;
    private bool _stopped;

    private InProcessSilo(InProcessSiloOptions options)
    {
        _options = options;
        _services = Build(options);
    }

    public TimeProvider TimeProvider => _options.TimeProvider;

    public MemoryGrainStore Store => _options.Store;

    public IServiceProvider Services => _services;

    public GrainRuntime Runtime => _services.GetRequiredService<GrainRuntime>();

    public IGrainFactory GrainFactory => Runtime;

    public static async Task<InProcessSilo> StartAsync(InProcessSiloOptions? options = null, CancellationToken cancellationToken = default)
    {
        var silo = new InProcessSilo(options ?? new InProcessSiloOptions());
        await silo.Runtime.StartAsync(cancellationToken).ConfigureAwait(false);
        return silo;
    }

    public Task DeactivateAsync<TGrainInterface>(string key, CancellationToken cancellationToken = default) where TGrainInterface : IGrainWithStringKey =>
        Runtime.DeactivateAsync(Runtime.GetGrainId<TGrainInterface>(key), cancellationToken);

    public Task DeactivateAllAsync(CancellationToken cancellationToken = default) => Runtime.DeactivateAllAsync(cancellationToken);

    /// <summary>Stops the silo (deactivating everything) and starts a new one with the same store, clock and registrations.</summary>
    public async Task RestartAsync(CancellationToken cancellationToken = default)
    {
        await StopAsync(cancellationToken).ConfigureAwait(false);
        _services = Build(_options);
        _stopped = false;
        await Runtime.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deactivates every grain (OnDeactivateAsync runs) and disposes the services. Idempotent.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (_stopped)
        {
            return;
        }

        await Runtime.StopAsync(cancellationToken).ConfigureAwait(false);
        _stopped = true;
        await _services.DisposeAsync().ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);

    private static ServiceProvider Build(InProcessSiloOptions options)
    {
        var services = new ServiceCollection();
        services.AddSingleton(options.TimeProvider);
        services.AddGrainRuntime(options.ConfigureRuntime);
        services.AddMemoryGrainStorage(options.StorageName, options.Store);
        options.ConfigureServices?.Invoke(services);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }
}

public sealed class InProcessSiloOptions
{
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    public MemoryGrainStore Store { get; init; } = new();

    /// <summary>The memory storage's name (grains' [PersistentState] storage name).</summary>
    public string StorageName { get; init; } = Storage.GrainStorageNames.Default;

    public Action<GrainRuntimeOptions>? ConfigureRuntime { get; init; }

    /// <summary>Extra registrations (grain dependencies, more storages); applied on every (re)start.</summary>
    public Action<IServiceCollection>? ConfigureServices { get; init; }
}
