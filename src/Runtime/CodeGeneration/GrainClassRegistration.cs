using System.ComponentModel;

namespace Personalization.Runtime.CodeGeneration;

/// <summary>A grain class as the code generator registers it: its stable type name, the grain interfaces it implements, and a factory.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class GrainClassRegistration(Type grainClass, string typeName, Type[] interfaces, Func<IServiceProvider, IGrainActivationContext, Grain> create)
{
    public Type GrainClass { get; } = grainClass;

    public string TypeName { get; } = typeName;

    public IReadOnlyList<Type> Interfaces { get; } = interfaces;

    internal Grain Create(IServiceProvider services, IGrainActivationContext context) => create(services, context);
}
