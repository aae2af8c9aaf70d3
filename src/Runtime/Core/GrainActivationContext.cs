using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.DependencyInjection;
using Personalization.Runtime.CodeGeneration;
using Personalization.Runtime.Storage;

namespace Personalization.Runtime.Core;

/// <summary>Given to a generated grain factory while the grain object is constructed.</summary>
internal sealed class GrainActivationContext(Activation activation) : IGrainActivationContext
{
    public GrainId GrainId => activation.GrainId;

    public IPersistentState<TState> GetPersistentState<TState>(string stateName, string? storageName) where TState : class, new()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(stateName);
        var name = string.IsNullOrEmpty(storageName) ? GrainStorageNames.Default : storageName;
        var runtime = activation.Runtime;
        var storage = runtime.Services.GetKeyedService<IGrainStorage>(name) ?? throw new InvalidOperationException(
            $"Grain {activation.GrainId} needs grain storage '{name}' for state '{stateName}', but none is registered. " +
            $"Call AddMemoryGrainStorage(\"{name}\") or AddDynamoDBGrainStorage(\"{name}\", ...).");
        var typeInfo = (JsonTypeInfo<TState>)runtime.Options.StateSerializerOptions.GetTypeInfo(typeof(TState));
        var state = new PersistentState<TState>(activation, stateName, name, storage, typeInfo);
        activation.AddState(state);
        return state;
    }
}
