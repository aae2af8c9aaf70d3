using System.ComponentModel;

namespace Personalization.Runtime.CodeGeneration;

/// <summary>What a generated grain reference is bound to. A struct so that creating a reference allocates only the reference.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct GrainReferenceTarget
{
    internal GrainReferenceTarget(GrainRuntime runtime, GrainId grainId, GrainClassRegistration grainClass)
    {
        Runtime = runtime;
        GrainId = grainId;
        GrainClass = grainClass;
    }

    internal GrainRuntime Runtime { get; }

    internal GrainId GrainId { get; }

    internal GrainClassRegistration GrainClass { get; }
}
