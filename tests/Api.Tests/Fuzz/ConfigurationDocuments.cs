using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using static Personalization.Api.Tests.Fuzz.HostileInputs;

namespace Personalization.Api.Tests.Fuzz;

/// <summary>
/// Configuration documents as they can arrive from a file or AppConfig: a valid document (the fuzz silo's, the
/// original project's samples) with one place made hostile — a value replaced by any JSON (invalid escapes, edge
/// numbers, deep nesting), a key repeated beside itself, a key that is invalid text — then maybe cut short or given
/// bytes that are not UTF-8.
/// </summary>
internal static class ConfigurationDocuments
{
    private const string Placeholder = "\u0001fuzz\u0001";

    /// <summary>The placeholder as <see cref="JsonNode.ToJsonString"/> writes it.</summary>
    private const string PlaceholderLiteral = "\"\\u0001fuzz\\u0001\"";

    public static IReadOnlyList<string> Valid { get; } =
    [
        FuzzSilo.ConfigJson,
        .. Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Samples"), "config_*.json").Order(StringComparer.Ordinal).Select(File.ReadAllText),
    ];

    public static Gen<byte[]> Hostile { get; } =
        from document in Gen.Elements(Valid.ToArray())
        from slot in Gen.Choose(0, Slots(document).Count - 1)
        from kind in Gen.Choose(0, 2)
        from value in Gen.Frequency((4, JsonValue(2)), (1, JsonNumber), (1, DeepNesting))
        from key in Gen.Frequency((2, JsonString), (1, Gen.Constant("\"namespaces\"")))
        from cut in Gen.Frequency((6, Gen.Constant(-1)), (1, Gen.Choose(0, 4000)))
        from bytes in Utf8WithInvalidBytes(Gen.Constant(Mutate(document, slot, kind, value, key)))
        select cut >= 0 && cut < bytes.Length ? bytes[..cut] : bytes;

    /// <summary>Replaces the value at <paramref name="slot"/> (kind 0), repeats its key with <paramref name="value"/> (1), or adds the member <paramref name="key"/> beside it (2).</summary>
    private static string Mutate(string document, int slot, int kind, string value, string key)
    {
        var root = JsonNode.Parse(document)!;
        var (parent, name, index) = Slots(root)[slot];
        var original = (name is null ? parent.AsArray()[index] : parent.AsObject()[name])?.ToJsonString() ?? "null";
        var replacement = kind switch
        {
            1 when name is not null => original + "," + Quote(name) + ":" + value,
            2 when name is not null => original + "," + key + ":" + value,
            _ => value,
        };
        if (name is null)
        {
            parent.AsArray()[index] = Placeholder;
        }
        else
        {
            parent.AsObject()[name] = Placeholder;
        }

        return root.ToJsonString().Replace(PlaceholderLiteral, replacement, StringComparison.Ordinal);
    }

    private static List<(JsonNode Parent, string? Name, int Index)> Slots(string document) => Slots(JsonNode.Parse(document)!);

    private static List<(JsonNode Parent, string? Name, int Index)> Slots(JsonNode root)
    {
        var slots = new List<(JsonNode, string?, int)>();
        void Walk(JsonNode node)
        {
            switch (node)
            {
                case JsonObject obj:
                    foreach (var (name, child) in obj)
                    {
                        slots.Add((obj, name, -1));
                        if (child is not null)
                        {
                            Walk(child);
                        }
                    }

                    break;
                case JsonArray array:
                    for (var i = 0; i < array.Count; i++)
                    {
                        slots.Add((array, null, i));
                        if (array[i] is { } child)
                        {
                            Walk(child);
                        }
                    }

                    break;
            }
        }

        Walk(root);
        return slots;
    }
}
