namespace Personalization.Grains.Catalog;

/// <summary>A rejected line of a data file; line numbers start at 1.</summary>
public readonly record struct DataFileError(long LineNumber, string Message)
{
    public override string ToString() => $"line {LineNumber}: {Message}";
}
