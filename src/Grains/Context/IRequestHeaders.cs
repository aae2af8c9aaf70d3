namespace Personalization.Grains.Context;

/// <summary>Read access to request headers, independent of any web framework. Implementations match names case-insensitively.</summary>
public interface IRequestHeaders
{
    /// <summary>The header's value (several values joined by a comma), or null when absent.</summary>
    string? Get(string name);
}
