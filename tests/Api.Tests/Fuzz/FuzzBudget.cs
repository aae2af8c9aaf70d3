using FsCheck;
using FsCheck.Fluent;

namespace Personalization.Api.Tests.Fuzz;

/// <summary>
/// How many cases each fuzz property tries, from which seed. CI runs the small default of each property; a longer run
/// raises it for all of them: <c>FUZZ_ITERATIONS=3000 dotnet test tests/Api.Tests --filter Category=Fuzz</c>
/// (<c>FUZZ_SEED=n</c> replays or varies the cases; a failure names the seed and the case).
/// </summary>
internal static class FuzzBudget
{
    public const ulong DefaultSeed = 20261202;

    /// <summary>Generators choose their own lengths; the size only bounds FsCheck's built-in ones.</summary>
    private const int Size = 40;

    public static ulong Seed { get; } = ulong.TryParse(Environment.GetEnvironmentVariable("FUZZ_SEED"), out var seed) ? seed : DefaultSeed;

    private static int? Override { get; } = int.TryParse(Environment.GetEnvironmentVariable("FUZZ_ITERATIONS"), out var n) && n > 0 ? n : null;

    /// <summary>The cases of one property: the same on every run for one seed, different between properties.</summary>
    public static IReadOnlyList<T> Cases<T>(Gen<T> generator, int ciIterations, string property) =>
        generator.Sample(Override ?? ciIterations, new Rnd(Seed ^ StableHash(property)), Size);

    public static string Describe(string property, int index) => $"{property} case {index} (FUZZ_SEED={Seed})";

    /// <summary>Enough of a request or an answer to see the case in a failure message.</summary>
    public static string Shorten(string text) => text.Length <= 600 ? text : text[..600] + "…";

    private static ulong StableHash(string text)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        return hash;
    }
}
