namespace Personalization.Grains.Events;

/// <summary>A <c>file</c> event target: JSON Lines at <see cref="Path"/>, rotated by size.</summary>
public sealed record FileTargetOptions
{
    public required string Path { get; init; }

    /// <summary>Rotate before a write would take the file past this size (64 MiB by default).</summary>
    public long MaxBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>Rotated files kept; older ones are deleted. Null keeps them all.</summary>
    public int? MaxRotatedFiles { get; init; }

    /// <summary>fsync after every batch, so an accepted event survives a power cut (slower).</summary>
    public bool FlushToDisk { get; init; }

    public bool Envelope { get; init; }

    public int MaxRecordsPerBatch { get; init; } = 1000;
}
