namespace Personalization.Grains.Context;

/// <summary>An `autoContext` or `autoDynamicFilterValues` object: fields in document order.</summary>
public sealed class AutoContextConfig
{
    public static readonly AutoContextConfig Empty = new([]);

    public AutoContextConfig(IReadOnlyList<AutoContextField> fields)
    {
        Fields = fields;
        HeaderNames = fields.SelectMany(f => f.Rules).Where(r => r.Header is not null).Select(r => r.Header!.ToLowerInvariant()).Distinct().ToArray();
    }

    public IReadOnlyList<AutoContextField> Fields { get; }

    public bool IsEmpty => Fields.Count == 0;

    /// <summary>Header names the rules read, lower-cased; computed once (events read it on every request).</summary>
    public IReadOnlyList<string> HeaderNames { get; }

    public bool UsesTime => Fields.SelectMany(f => f.Rules).Any(r => r.Type != AutoContextRuleType.HeaderValue);
}
