namespace Personalization.Silo.Hosting;

/// <summary>How a silo is put together; bound from configuration (`Config:*`; clustering and storage: <see cref="ClusterSettings"/>) and the command line.</summary>
public sealed class SiloOptions
{
    public const string DefaultUrl = "http://127.0.0.1:8080";

    /// <summary>`file` (default; hot reload) or `appconfig`.</summary>
    public string ConfigSource { get; set; } = "file";

    /// <summary>The configuration file; default: the embedded sample (samples/config.json).</summary>
    public string? ConfigPath { get; set; }

    /// <summary>Generate the sample store's data files next to the embedded config when they are missing.</summary>
    public bool EnsureSampleData { get; set; } = true;
}
