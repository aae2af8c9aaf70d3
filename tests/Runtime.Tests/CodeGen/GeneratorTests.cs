using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Personalization.Runtime.CodeGen;

namespace Personalization.Runtime.Tests.CodeGen;

public sealed class GeneratorTests
{
    [Fact]
    public void Generated_references_and_registrations_compile()
    {
        var (output, diagnostics) = Run("""
            using System.Threading;
            using System.Threading.Tasks;
            using Personalization.Runtime;
            namespace Sample;
            public interface IBase : IGrainWithStringKey { Task PingAsync(); }
            public interface IUser : IBase
            {
                [ReadOnly] ValueTask<string?> GetAsync(string @event, int count, CancellationToken ct);
                [AlwaysInterleave] ValueTask TouchAsync();
                Task<int[]> ListAsync(string? filter);
            }
            public sealed class State { public int Value { get; set; } }
            public interface IClock { }
            [GrainType("user")]
            public sealed class UserGrain([PersistentState("s", "store")] IPersistentState<State> state, IClock clock, IClock? optional = null) : Grain, IUser
            {
                public Task PingAsync() => Task.CompletedTask;
                public ValueTask<string?> GetAsync(string @event, int count, CancellationToken ct) => new((string?)null);
                public ValueTask TouchAsync() => default;
                public Task<int[]> ListAsync(string? filter) => Task.FromResult(new int[0]);
            }
            """);

        Assert.Empty(diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.ToString()));
        Assert.Contains("CallKind.ReadOnly", output);
        Assert.Contains("CallKind.Interleave", output);
        Assert.Contains("static (g, a) => g.GetAsync(a.Item1, a.Item2, a.Item3), ct);", output); // queued calls honour the token
        Assert.Contains("global::Sample.IBase.PingAsync()", output);
        Assert.Contains("\"user\"", output);
        Assert.Contains("context.GetPersistentState<global::Sample.State>(\"s\", \"store\")", output);
        Assert.Contains("GrainServices.Optional<global::Sample.IClock?>(services)", output);
    }

    [Fact]
    public void Unsupported_grain_methods_are_compile_errors()
    {
        var (_, diagnostics) = Run("""
            using System.Threading.Tasks;
            using Personalization.Runtime;
            namespace Sample;
            public interface IBad : IGrainWithStringKey
            {
                int NotAsync();
                Task<T> Generic<T>();
                Task WithRef(ref int x);
            }
            """);

        var errors = diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.GetMessage()).ToList();
        Assert.Contains(errors, e => e.Contains("must return Task, Task<T>, ValueTask or ValueTask<T>", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("generic grain methods are not supported", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("ref, out and in parameters are not supported", StringComparison.Ordinal));
    }

    private static (string Output, IReadOnlyList<Diagnostic> Diagnostics) Run(string source)
    {
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator)
            .Select(path => MetadataReference.CreateFromFile(path))
            .Append(MetadataReference.CreateFromFile(typeof(Grain).Assembly.Location));
        var parseOptions = new CSharpParseOptions(LanguageVersion.Preview);
        var compilation = CSharpCompilation.Create(
            "Sample",
            [CSharpSyntaxTree.ParseText(source, parseOptions)],
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        var driver = CSharpGeneratorDriver.Create([new GrainCodeGenerator().AsSourceGenerator()], parseOptions: parseOptions).RunGeneratorsAndUpdateCompilation(compilation, out var updated, out _);
        var output = string.Join("\n", driver.GetRunResult().GeneratedTrees.Select(t => t.ToString()));
        return (output, updated.GetDiagnostics());
    }
}
