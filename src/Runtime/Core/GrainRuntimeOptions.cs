using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Personalization.Runtime;

public sealed class GrainRuntimeOptions
{
    /// <summary>An activation idle this long is deactivated (Orleans' CollectionAge).</summary>
    public TimeSpan CollectionAge { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How often idle activations are looked for.</summary>
    public TimeSpan CollectionQuantum { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Cap on live activations of any one grain type; the least recently used idle ones go first. Null: no cap.</summary>
    public int? MaxActivationsPerType { get; set; }

    /// <summary>Per grain type caps (by grain type name) that override <see cref="MaxActivationsPerType"/>.</summary>
    public Dictionary<string, int> MaxActivationsByGrainType { get; } = new(StringComparer.Ordinal);

    /// <summary>The token passed to OnDeactivateAsync is cancelled after this long.</summary>
    public TimeSpan DeactivationTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How grain state is serialized. Set <see cref="JsonSerializerOptions.TypeInfoResolver"/> to a source-generated
    /// JsonSerializerContext to avoid reflection.
    /// </summary>
    public JsonSerializerOptions StateSerializerOptions { get; set; } = new(JsonSerializerDefaults.Web) { TypeInfoResolver = new DefaultJsonTypeInfoResolver() };

    internal int? CapacityOf(string grainType) =>
        MaxActivationsByGrainType.TryGetValue(grainType, out var cap) ? cap : MaxActivationsPerType;

    internal void Validate()
    {
        if (CollectionAge <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(CollectionAge), CollectionAge, "must be positive");
        }

        if (CollectionQuantum <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(CollectionQuantum), CollectionQuantum, "must be positive");
        }

        if (MaxActivationsPerType is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxActivationsPerType), MaxActivationsPerType, "must be at least 1");
        }

        foreach (var (type, cap) in MaxActivationsByGrainType)
        {
            if (cap < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(MaxActivationsByGrainType), cap, $"cap for '{type}' must be at least 1");
            }
        }

        ArgumentNullException.ThrowIfNull(StateSerializerOptions);
        if (StateSerializerOptions.TypeInfoResolver is null && !StateSerializerOptions.IsReadOnly)
        {
            StateSerializerOptions.TypeInfoResolver = new DefaultJsonTypeInfoResolver();
        }
    }
}
