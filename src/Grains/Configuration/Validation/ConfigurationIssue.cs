namespace Personalization.Grains.Configuration;

/// <summary>A problem at a document path, e.g. "namespaces.my-store.recommenders.recommend-items.top-picks.variations".</summary>
public sealed record ConfigurationIssue(string Path, string Message)
{
    public override string ToString() => Path.Length == 0 ? Message : $"{Path}: {Message}";
}
