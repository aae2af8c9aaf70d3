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
        var problems = new List<ClientJsonProblem>();
        var readable = true;
        var frames = new List<Frame>();
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = maxDepth });
        try
        {
            while (reader.Read())
            {
                var parent = frames.Count == 0 ? null : frames[^1];
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        var key = DecodeOrNull(ref reader);
                        if (key is null)
                        {
                            readable = false;
                            Report(problems, new(PathOf(root, frames), $"a key {UnicodeProblem(ref reader)}"));
                            parent!.CurrentKey = "?";
                        }
                        else
                        {
                            parent!.CurrentKey = key;
                            if (!(parent.Keys ??= new HashSet<string>(StringComparer.Ordinal)).Add(key))
                            {
                                Report(problems, new(ValuePath(root, frames), "duplicate key"));
                            }
                        }

                        continue;
                    case JsonTokenType.StartObject or JsonTokenType.StartArray:
                        frames.Add(new Frame(reader.TokenType == JsonTokenType.StartArray, Segment(parent)));
                        continue;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        frames.RemoveAt(frames.Count - 1);
                        break;
                    case JsonTokenType.String when !IsValidUnicode(ref reader):
                        readable = false;
                        Report(problems, new(ValuePath(root, frames), UnicodeProblem(ref reader)));
                        break;
                }

                // A value ended (a scalar, or a container just closed): the next element of an enclosing array follows.
                if (frames.Count > 0 && frames[^1].IsArray)
                {
                    frames[^1].NextIndex++;
                }
            }
        }
        catch (JsonException e)
        {
            readable = false;
            Report(problems, new(PathOf(root, frames), $"not valid JSON: {e.Message}"));
        }

        return new ClientJsonCheck(problems, readable);
    }

    private static void Report(List<ClientJsonProblem> problems, ClientJsonProblem problem)
    {
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

    private static string Segment(Frame? parent) => parent switch
    {
        null => "",
        { IsArray: true } => "[" + parent.NextIndex.ToString(System.Globalization.CultureInfo.InvariantCulture) + "]",
        _ => "." + parent.CurrentKey,
    };

    /// <summary>The path of the innermost open container.</summary>
    private static string PathOf(string root, List<Frame> frames)
    {
        var path = new StringBuilder(root);
        foreach (var frame in frames)
        {
            path.Append(frame.Segment);
        }

        return path.Length > 0 && path[0] == '.' ? path.ToString(1, path.Length - 1) : path.ToString();
    }

    /// <summary>The path of the value being read: the open container's path plus the current key or index.</summary>
    private static string ValuePath(string root, List<Frame> frames)
    {
        var container = PathOf(root, frames);
        var last = frames.Count == 0 ? "" : Segment(frames[^1]);
        return container.Length == 0 && last.StartsWith('.') ? last[1..] : container + last;
    }

    private sealed class Frame(bool isArray, string segment)
    {
        public bool IsArray { get; } = isArray;

        /// <summary>How this container is reached from its parent: <c>.key</c>, <c>[i]</c>, or nothing for the root.</summary>
        public string Segment { get; } = segment;

        public int NextIndex { get; set; }

        public string? CurrentKey { get; set; }

        public HashSet<string>? Keys { get; set; }
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
