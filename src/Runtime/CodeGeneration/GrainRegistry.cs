using System.ComponentModel;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace Personalization.Runtime.CodeGeneration;

/// <summary>
/// Grain references and grain classes, registered by module initializers that Personalization.Runtime.CodeGen
/// generates — so GetGrain constructs references without reflection.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class GrainRegistry
{
    private static readonly Lock Gate = new();
    private static readonly Dictionary<Type, Delegate> References = [];
    private static readonly List<GrainClassRegistration> Classes = [];

    public static void AddReference<TGrainInterface>(Func<GrainReferenceTarget, TGrainInterface> create)
        where TGrainInterface : IGrainWithStringKey
    {
        lock (Gate)
        {
            References[typeof(TGrainInterface)] = create;
        }
    }

    public static void AddGrain(GrainClassRegistration registration)
    {
        lock (Gate)
        {
            Classes.RemoveAll(existing => existing.GrainClass == registration.GrainClass);
            Classes.Add(registration);
        }
    }

    internal static Binding<TGrainInterface> Resolve<TGrainInterface>() where TGrainInterface : IGrainWithStringKey =>
        Cache<TGrainInterface>.Value ??= Bind<TGrainInterface>();

    internal static GrainClassRegistration? FindClass(string typeName)
    {
        lock (Gate)
        {
            return Classes.Find(c => c.TypeName == typeName);
        }
    }

    private static Binding<TGrainInterface> Bind<TGrainInterface>() where TGrainInterface : IGrainWithStringKey
    {
        if (TryBind<TGrainInterface>(out var binding, out _))
        {
            return binding;
        }

        // Module initializers run only once code of their assembly runs; a GetGrain<T> may come first.
        RunModuleInitializers(typeof(TGrainInterface).Assembly);
        foreach (var assembly in AppDomain.CurrentDomain.GetAssemblies())
        {
            RunModuleInitializers(assembly);
        }

        if (TryBind(out binding, out var problem))
        {
            return binding;
        }

        throw new InvalidOperationException(problem);
    }

    private static bool TryBind<TGrainInterface>(out Binding<TGrainInterface> binding, out string problem)
        where TGrainInterface : IGrainWithStringKey
    {
        binding = null!;
        var name = typeof(TGrainInterface).FullName;
        lock (Gate)
        {
            if (!References.TryGetValue(typeof(TGrainInterface), out var create))
            {
                problem = $"No grain reference is generated for {name}. Reference Personalization.Runtime.CodeGen as an analyzer " +
                          "in the project that declares it (OutputItemType=\"Analyzer\" ReferenceOutputAssembly=\"false\").";
                return false;
            }

            var classes = Classes.Where(c => c.Interfaces.Contains(typeof(TGrainInterface))).ToList();
            switch (classes.Count)
            {
                case 0:
                    problem = $"No grain class implements {name}. Grain classes must derive from Grain, be non-abstract, and live in a project that references Personalization.Runtime.CodeGen as an analyzer.";
                    return false;
                case > 1:
                    problem = $"Several grain classes implement {name}: {string.Join(", ", classes.Select(c => c.GrainClass.FullName))}.";
                    return false;
            }

            var duplicate = Classes.Find(c => c.TypeName == classes[0].TypeName && c != classes[0]);
            if (duplicate is not null)
            {
                problem = $"Grain classes {classes[0].GrainClass.FullName} and {duplicate.GrainClass.FullName} share the grain type name '{classes[0].TypeName}'; give one a [GrainType].";
                return false;
            }

            binding = new Binding<TGrainInterface>((Func<GrainReferenceTarget, TGrainInterface>)create, classes[0]);
            problem = string.Empty;
            return true;
        }
    }

    private static void RunModuleInitializers(Assembly assembly)
    {
        if (assembly.IsDynamic)
        {
            return;
        }

        RuntimeHelpers.RunModuleConstructor(assembly.ManifestModule.ModuleHandle);
    }

    internal sealed class Binding<TGrainInterface>(Func<GrainReferenceTarget, TGrainInterface> create, GrainClassRegistration grainClass)
    {
        public GrainClassRegistration GrainClass { get; } = grainClass;

        public TGrainInterface Create(GrainReferenceTarget target) => create(target);
    }

    private static class Cache<TGrainInterface> where TGrainInterface : IGrainWithStringKey
    {
        public static Binding<TGrainInterface>? Value;
    }
}
