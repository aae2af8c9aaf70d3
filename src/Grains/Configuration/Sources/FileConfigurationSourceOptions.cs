namespace Personalization.Grains.Configuration;

public sealed class FileConfigurationSourceOptions
{
    /// <summary>The JSON document to load at start and watch.</summary>
    public string Path { get; set; } = "";

    /// <summary>
    /// How often the file is re-read regardless of watcher events (watchers miss changes on network, overlay
    /// and some container filesystems). Unchanged content is skipped by hash. Zero or less disables polling.
    /// </summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Quiet time after the last watcher event before reloading (editors write files in several steps).</summary>
    public TimeSpan DebounceDelay { get; set; } = TimeSpan.FromMilliseconds(300);

    public bool UseFileSystemWatcher { get; set; } = true;
}
