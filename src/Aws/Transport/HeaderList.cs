namespace Personalization.Aws.Transport;

/// <summary>Headers of a request's optional header-bound members.</summary>
internal static class HeaderList
{
    public static void AddIfSet(this List<KeyValuePair<string, string>> headers, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            headers.Add(new(name, value));
        }
    }
}
