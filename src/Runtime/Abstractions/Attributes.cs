namespace Personalization.Runtime;

/// <summary>The method does not change grain state: it may run together with other read-only calls when no other call holds the turn.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ReadOnlyAttribute : Attribute;

/// <summary>Calls to this method may interleave with any other call on the activation (Orleans' AlwaysInterleave).</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class AlwaysInterleaveAttribute : Attribute;

/// <summary>The stable type name of a grain class, used in identities and storage keys (defaults to the class name).</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class GrainTypeAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}

/// <summary>Marks a grain constructor parameter of type IPersistentState&lt;T&gt; to be loaded before OnActivateAsync.</summary>
[AttributeUsage(AttributeTargets.Parameter)]
public sealed class PersistentStateAttribute(string stateName, string? storageName = null) : Attribute
{
    public string StateName { get; } = stateName;
    public string? StorageName { get; } = storageName;
}
