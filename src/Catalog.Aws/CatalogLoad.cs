using Personalization.Grains.Catalog;

namespace Personalization.Catalog.Aws;

/// <summary>How <c>catalog load</c> writes a catalog file into a DynamoDB metadata table.</summary>
public sealed class CatalogLoadOptions
{
    public required string TableName { get; init; }

    /// <summary>Read and check the file, count what would be written and removed; write nothing.</summary>
    public bool DryRun { get; init; }

    /// <summary>Create the table (key <c>id</c>, on-demand) when it does not exist.</summary>
    public bool CreateTable { get; init; } = true;

    /// <summary>BatchWriteItem calls in flight at once.</summary>
    public int Parallelism { get; init; } = 4;

    /// <summary>Attempts per batch (throttling, unprocessed items, transient errors) before its items count as failed.</summary>
    public int MaxAttempts { get; init; } = 8;

    public TimeSpan FirstBackoff { get; init; } = TimeSpan.FromMilliseconds(50);

    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The <c>version</c> stamped on every item of this load (the original used the file's LastModified).</summary>
    public string? Version { get; init; }
}

/// <summary>Reported after each batch: compressed bytes read of the file, and items written so far.</summary>
public readonly record struct CatalogLoadProgress(long BytesRead, long TotalBytes, long ItemsWritten, long ItemsRead);

/// <summary>An item that could not be written, with the line it came from.</summary>
public readonly record struct FailedItem(long LineNumber, string Id, string Message)
{
    public override string ToString() => $"line {LineNumber} (id \"{Id}\"): {Message}";
}

/// <summary>What a load did.</summary>
public sealed record CatalogLoadSummary
{
    public required string TableName { get; init; }
    public bool DryRun { get; init; }
    public bool TableCreated { get; init; }
    public long ItemsRead { get; init; }
    public long ItemsWritten { get; init; }
    public long BadLineCount { get; init; }

    /// <summary>The first bad lines (at most 1,000), with their line numbers.</summary>
    public IReadOnlyList<DataFileError> BadLines { get; init; } = [];
    public IReadOnlyList<FailedItem> FailedItems { get; init; } = [];

    /// <summary>Items of the table not in the file: removed (or, in a dry run, that would be).</summary>
    public long StaleItems { get; init; }
    public long ItemsRemoved { get; init; }
    public long FailedRemovals { get; init; }

    /// <summary>Why stale items were kept, when they were.</summary>
    public string? PurgeSkipped { get; init; }
    public long Retries { get; init; }
    public TimeSpan Elapsed { get; init; }

    /// <summary>Every line loaded and the table holds exactly the file.</summary>
    public bool Succeeded => BadLineCount == 0 && FailedItems.Count == 0 && FailedRemovals == 0 && PurgeSkipped is null;
}
