using System.ComponentModel;
using Microsoft.Extensions.DependencyInjection;

namespace Personalization.Runtime.CodeGeneration;

/// <summary>What a generated grain factory asks of the activation being created.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public interface IGrainActivationContext
{
    GrainId GrainId { get; }

    /// <summary>The state behind a [PersistentState] constructor parameter; it is loaded before OnActivateAsync.</summary>
    IPersistentState<TState> GetPersistentState<TState>(string stateName, string? storageName) where TState : class, new();
}

/// <summary>Constructor-parameter resolution used by generated grain factories.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class GrainServices
{
    public static T Required<T>(IServiceProvider services, Type grainClass) where T : notnull =>
        services.GetService<T>() ?? throw new InvalidOperationException(
            $"Cannot create grain {grainClass.FullName}: no service of type {typeof(T).FullName} is registered.");

    public static T? Optional<T>(IServiceProvider services) => services.GetService<T>();
}
