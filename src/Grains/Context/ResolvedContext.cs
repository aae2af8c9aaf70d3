namespace Personalization.Grains.Context;

/// <summary>The outcome of evaluating an <see cref="AutoContextConfig"/> for one request: only fields that got a value, in config order.</summary>
public sealed class ResolvedContext
{
    public static readonly ResolvedContext Empty = new([]);

    public ResolvedContext(IReadOnlyList<ResolvedField> fields) => Fields = fields;

    public IReadOnlyList<ResolvedField> Fields { get; }

    public bool IsEmpty => Fields.Count == 0;

    public ResolvedField? this[string name]
    {
        get
        {
            foreach (var field in Fields)
            {
                if (field.Name == name)
                {
                    return field;
                }
            }

            return null;
        }
    }
}
