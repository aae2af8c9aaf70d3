namespace Personalization.Grains.Configuration;

/// <summary>
/// Where configuration documents come from (a local file, AppConfig, an admin upload...). A source reads
/// the bytes; <see cref="ConfigurationStore.TryApply"/> decides whether they go live.
/// </summary>
public interface IConfigurationDocumentSource
{
    /// <summary>A human-readable origin such as "file:/etc/p13n/config.json", kept with rejections.</summary>
    string Origin { get; }

    /// <summary>The current document bytes.</summary>
    Task<ReadOnlyMemory<byte>> ReadAsync(CancellationToken cancellationToken);
}
