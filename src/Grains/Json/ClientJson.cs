using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace Personalization.Grains.Json;

/// <summary>
/// The one gate for JSON text that comes from outside (event bodies, the <c>context</c> and <c>filterValues</c>
/// parameters, event <c>properties</c>, rerank bodies, configuration documents). One forward pass finds what a later
/// reader would throw on — malformed text, invalid UTF-8, a lone UTF-16 surrogate escape, nesting deeper than the
/// limit — and what it would silently resolve: a key repeated in one object, which a merge into a dictionary would
/// either throw on or settle by order. Every problem carries its path, so the caller's error names the field.
/// </summary>
public static class ClientJson
{
    public const int DefaultMaxDepth = 64;

    /// <summary>A hostile body may repeat a key thousands of times; the first few problems say enough.</summary>
    private const int MaxProblems = 20;

    public static ClientJsonCheck Check(string text, string root = "", int maxDepth = DefaultMaxDepth) =>
        Check(Encoding.UTF8.GetBytes(text), root, maxDepth);

    /// <param name="utf8">The text as received.</param>
    /// <param name="root">The path of the text's root value in the caller's terms (e.g. <c>context</c>); problems are reported below it.</param>
    /// <param name="maxDepth">The deepest nesting allowed.</param>
    public static ClientJsonCheck Check(ReadOnlySpan<byte> utf8, string root = "", int maxDepth = DefaultMaxDepth)
    {
        // Runs on every events body: a valid text costs the key strings and two small lists, nothing per path.
        List<ClientJsonProblem>? problems = null;
        var readable = true;
        var frames = new List<Frame>();
        var keys = new List<string>();
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = maxDepth });
        try
        {
            while (reader.Read())
            {
                var open = CollectionsMarshal.AsSpan(frames);
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        ref var parent = ref open[^1];
                        var key = DecodeOrNull(ref reader);
                        if (key is null)
                        {
                            readable = false;
                            Report(ref problems, new(PathOf(root, frames), $"a key {UnicodeProblem(ref reader)}"));
                            parent.CurrentKey = "?";
                        }
                        else
                        {
                            parent.CurrentKey = key;
                            if (!parent.AddKey(keys, key))
                            {
                                Report(ref problems, new(ValuePath(root, frames), "duplicate key"));
                            }
                        }

                        continue;
                    case JsonTokenType.StartObject or JsonTokenType.StartArray:
                        var entered = open.Length == 0 ? default : open[^1];
                        frames.Add(new Frame(reader.TokenType == JsonTokenType.StartArray, entered.IsArray ? entered.NextIndex : -1, entered.CurrentKey, keys.Count));
                        continue;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        keys.RemoveRange(open[^1].KeysStart, keys.Count - open[^1].KeysStart);
                        frames.RemoveAt(frames.Count - 1);
                        break;
                    case JsonTokenType.String when !IsValidUnicode(ref reader):
                        readable = false;
                        Report(ref problems, new(ValuePath(root, frames), UnicodeProblem(ref reader)));
                        break;
                }

                // A value ended (a scalar, or a container just closed): the next element of an enclosing array follows.
                if (frames.Count > 0 && frames[^1].IsArray)
                {
                    CollectionsMarshal.AsSpan(frames)[^1].NextIndex++;
                }
            }
        }
        catch (JsonException e)
        {
            readable = false;
            Report(ref problems, new(PathOf(root, frames), $"not valid JSON: {e.Message}"));
        }

        return problems is null ? Valid : new ClientJsonCheck(problems, readable);
    }

    private static readonly ClientJsonCheck Valid = new([], IsReadable: true);

    private static void Report(ref List<ClientJsonProblem>? problems, ClientJsonProblem problem)
    {
        problems ??= [];
        if (problems.Count < MaxProblems)
        {
            problems.Add(problem);
        }
    }

    private static bool IsValidUnicode(ref Utf8JsonReader reader) =>
        reader.ValueIsEscaped ? DecodeOrNull(ref reader) is not null : Utf8.IsValid(reader.ValueSpan);

    /// <summary>The reader's own transcoding is the reference for what a later read accepts; it throws on what it refuses.</summary>
    private static string? DecodeOrNull(ref Utf8JsonReader reader)
    {
        try
        {
            return reader.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    private static string UnicodeProblem(ref Utf8JsonReader reader) =>
        Utf8.IsValid(reader.ValueSpan) ? "holds a lone UTF-16 surrogate escape (\\uD800-\\uDFFF without its pair)" : "holds bytes that are not valid UTF-8";

    /// <summary>The path of the innermost open container; built only for a problem.</summary>
    private static string PathOf(string root, List<Frame> frames)
    {
        var path = new StringBuilder(root);
        for (var i = 1; i < frames.Count; i++)
        {
            Append(path, frames[i].EnteredAt, frames[i].EnteredUnder);
        }

        return path.ToString();
    }

    /// <summary>The path of the value being read: the open container's path plus the current key or index.</summary>
    private static string ValuePath(string root, List<Frame> frames)
    {
        var path = new StringBuilder(PathOf(root, frames));
        if (frames.Count > 0)
        {
            var current = frames[^1];
            Append(path, current.IsArray ? current.NextIndex : -1, current.CurrentKey);
        }

        return path.ToString();
    }

    private static void Append(StringBuilder path, int index, string? key)
    {
        if (index >= 0)
        {
            path.Append('[').Append(index.ToString(System.Globalization.CultureInfo.InvariantCulture)).Append(']');
        }
        else
        {
            path.Append(path.Length == 0 ? "" : ".").Append(key);
        }
    }

    /// <summary>An open object or array, and how it was reached from its parent (an index, or a key).</summary>
    private struct Frame(bool isArray, int enteredAt, string? enteredUnder, int keysStart)
    {
        /// <summary>Beyond this many keys an object's keys are looked up in a set instead of scanned.</summary>
        private const int ScannedKeys = 16;

        public readonly bool IsArray = isArray;

        public readonly int EnteredAt = enteredAt;

        public readonly string? EnteredUnder = enteredUnder;

        /// <summary>Where this object's keys start on the shared stack of keys (they are dropped when it closes).</summary>
        public readonly int KeysStart = keysStart;

        public int NextIndex;

        public string? CurrentKey;

        private HashSet<string>? _manyKeys;

        /// <summary>False when the object already has <paramref name="key"/>.</summary>
        public bool AddKey(List<string> keys, string key)
        {
            if (_manyKeys is not null)
            {
                return _manyKeys.Add(key);
            }

            var count = keys.Count - KeysStart;
            if (count < ScannedKeys)
            {
                for (var i = KeysStart; i < keys.Count; i++)
                {
                    if (string.Equals(keys[i], key, StringComparison.Ordinal))
                    {
                        return false;
                    }
                }

                keys.Add(key);
                return true;
            }

            _manyKeys = new HashSet<string>(CollectionsMarshal.AsSpan(keys)[KeysStart..].ToArray(), StringComparer.Ordinal);
            return _manyKeys.Add(key);
        }
    }
}

/// <summary>The outcome of <see cref="ClientJson.Check(ReadOnlySpan{byte}, string, int)"/>.</summary>
/// <param name="Problems">Every problem found, in document order (at most a few dozen).</param>
/// <param name="IsReadable">
/// False when a reader would throw on the text (malformed, invalid Unicode, too deep); true when it reads, even if a
/// key repeats, so a caller that reports every problem can still read it for the rest.
/// </param>
public sealed record ClientJsonCheck(IReadOnlyList<ClientJsonProblem> Problems, bool IsReadable)
{
    public bool IsValid => Problems.Count == 0;
}

/// <summary>One problem of client JSON: its path in the caller's terms (<c>eventList[0].properties.color</c>) and what is wrong.</summary>
public readonly record struct ClientJsonProblem(string Path, string Message)
{
    public override string ToString() => Path.Length == 0 ? Message : Path + ": " + Message;
}
