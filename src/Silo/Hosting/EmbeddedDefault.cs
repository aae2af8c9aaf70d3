using Personalization.Grains.Samples;

namespace Personalization.Silo.Hosting;

/// <summary>Where the embedded default lives: the repository's samples/ when run from a checkout, else the copy beside the executable.</summary>
internal static class EmbeddedDefault
{
    public static string ConfigPath()
    {
        var repositorySamples = Path.GetDirectoryName(SampleDataFiles.DefaultDirectory())!;
        var candidate = Path.Combine(repositorySamples, "config.json");
        return File.Exists(candidate) ? candidate : Path.Combine(AppContext.BaseDirectory, "samples", "config.json");
    }

    /// <summary>The sample config names its data files under generated/ beside it.</summary>
    public static string DataDirectory(string configPath) => Path.Combine(Path.GetDirectoryName(configPath)!, "generated");
}
