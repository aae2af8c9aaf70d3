namespace Personalization.Grains.Context;

/// <summary>Adapters from common header shapes to <see cref="IRequestHeaders"/>.</summary>
public static class RequestHeaders
{
    public static readonly IRequestHeaders None = new DelegateHeaders(_ => null);

    /// <summary>Wraps a lookup; the delegate must itself be case-insensitive (as ASP.NET Core's IHeaderDictionary is).</summary>
    public static IRequestHeaders FromLookup(Func<string, string?> lookup) => new DelegateHeaders(lookup);

    /// <summary>Copies pairs into a case-insensitive map (later duplicates are joined with a comma, as HTTP does).</summary>
    public static IRequestHeaders FromPairs(IEnumerable<KeyValuePair<string, string>> pairs)
    {
        var map = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in pairs)
        {
            map[name] = map.TryGetValue(name, out var existing) ? existing + "," + value : value;
        }

        return new DelegateHeaders(name => map.GetValueOrDefault(name));
    }

    private sealed class DelegateHeaders(Func<string, string?> lookup) : IRequestHeaders
    {
        public string? Get(string name) => lookup(name);
    }
}
