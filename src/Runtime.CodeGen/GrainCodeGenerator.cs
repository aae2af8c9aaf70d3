using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Personalization.Runtime.CodeGen
{
    /// <summary>
    /// For every grain interface in the compilation, a sealed reference class registered by a module initializer; for
    /// every grain class, a registration with its grain type name and a constructor-injecting factory.
    /// </summary>
    [Generator(LanguageNames.CSharp)]
    public sealed class GrainCodeGenerator : IIncrementalGenerator
    {
        public void Initialize(IncrementalGeneratorInitializationContext context)
        {
            var interfaces = context.SyntaxProvider.CreateSyntaxProvider(
                static (node, _) => node is InterfaceDeclarationSyntax { BaseList: not null },
                static (syntax, _) => syntax.SemanticModel.GetDeclaredSymbol(syntax.Node) is INamedTypeSymbol type && Symbols.IsGrainInterface(type)
                    ? ReferenceEmitter.Emit(type)
                    : null);

            var classes = context.SyntaxProvider.CreateSyntaxProvider(
                static (node, _) => node is ClassDeclarationSyntax { BaseList: not null },
                static (syntax, _) => syntax.SemanticModel.GetDeclaredSymbol(syntax.Node) is INamedTypeSymbol type && GrainClassEmitter.IsGrainClass(type)
                    ? GrainClassEmitter.Emit(type)
                    : null);

            context.RegisterSourceOutput(interfaces.Where(static s => s is not null).Collect(), static (output, sources) => AddDistinct(output, sources));
            context.RegisterSourceOutput(classes.Where(static s => s is not null).Collect(), static (output, sources) => AddDistinct(output, sources));
        }

        // Partial types have several declarations but must be generated once.
        private static void AddDistinct(SourceProductionContext output, ImmutableArray<GeneratedSource?> sources)
        {
            foreach (var source in sources.Where(s => s is not null).GroupBy(s => s!.HintName).Select(g => g.First()!))
            {
                output.AddSource(source.HintName, source.Text);
            }
        }
    }
}
