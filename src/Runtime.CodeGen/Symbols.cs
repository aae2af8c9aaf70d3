using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Personalization.Runtime.CodeGen
{
    internal static class Symbols
    {
        public const string GrainWithStringKey = "Personalization.Runtime.IGrainWithStringKey";
        public const string Grain = "Personalization.Runtime.IGrain";
        public const string GrainBase = "Personalization.Runtime.Grain";
        public const string ReadOnly = "Personalization.Runtime.ReadOnlyAttribute";
        public const string AlwaysInterleave = "Personalization.Runtime.AlwaysInterleaveAttribute";
        public const string GrainType = "Personalization.Runtime.GrainTypeAttribute";
        public const string PersistentState = "Personalization.Runtime.PersistentStateAttribute";
        public const string PersistentStateInterface = "Personalization.Runtime.IPersistentState<TState>";

        public static readonly SymbolDisplayFormat TypeFormat = SymbolDisplayFormat.FullyQualifiedFormat
            .AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

        public static string Name(ITypeSymbol type) => type.ToDisplayString(TypeFormat);

        public static string Metadata(ISymbol symbol) => symbol.ToDisplayString();

        /// <summary>A grain interface: derives from IGrainWithStringKey (and is not one of the runtime's markers).</summary>
        public static bool IsGrainInterface(INamedTypeSymbol type) =>
            type.TypeKind == TypeKind.Interface &&
            Metadata(type) != GrainWithStringKey &&
            Metadata(type) != Grain &&
            type.AllInterfaces.Any(i => Metadata(i) == GrainWithStringKey);

        public static bool DerivesFromGrain(INamedTypeSymbol type)
        {
            for (var current = type.BaseType; current is not null; current = current.BaseType)
            {
                if (Metadata(current) == GrainBase)
                {
                    return true;
                }
            }

            return false;
        }

        public static bool HasAttribute(ISymbol symbol, string attribute) =>
            symbol.GetAttributes().Any(a => a.AttributeClass is not null && Metadata(a.AttributeClass) == attribute);

        public static AttributeData? Attribute(ISymbol symbol, string attribute) =>
            symbol.GetAttributes().FirstOrDefault(a => a.AttributeClass is not null && Metadata(a.AttributeClass) == attribute);

        public static string Literal(string? value) => value is null ? "null" : SymbolDisplay.FormatLiteral(value, quote: true);

        public static string Identifier(string name) =>
            SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None || SyntaxFacts.GetContextualKeywordKind(name) != SyntaxKind.None ? "@" + name : name;

        public static string SafeName(ISymbol symbol) =>
            new string(symbol.ToDisplayString().Select(c => char.IsLetterOrDigit(c) ? c : '_').ToArray());

        public static bool IsAccessible(INamedTypeSymbol type)
        {
            for (INamedTypeSymbol? current = type; current is not null; current = current.ContainingType)
            {
                if (current.DeclaredAccessibility is Accessibility.Private or Accessibility.Protected or Accessibility.ProtectedAndInternal)
                {
                    return false;
                }
            }

            return true;
        }
    }
}
