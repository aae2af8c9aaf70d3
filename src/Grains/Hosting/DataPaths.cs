namespace Personalization.Grains.Hosting;

/// <summary>Resolves data-file paths written in the configuration: relative paths are taken from the config file's folder.</summary>
public sealed class DataPaths(string baseDirectory)
{
    public string BaseDirectory { get; } = Path.GetFullPath(baseDirectory);

    public string Resolve(string path) => Path.GetFullPath(Path.IsPathRooted(path) ? path : Path.Combine(BaseDirectory, path));
}
