using Personalization.Grains.Samples;

namespace Personalization.Api.Tests.Cluster;

/// <summary>A small generated sample store (catalog + interactions), generated once per test run and copied into each cluster.</summary>
public static class SampleData
{
    public const string Folder = "generated";
    public const string CatalogFile = SampleDataFiles.CatalogFileName;
    public const string InteractionsFile = "interactions.csv.gz";

    public static readonly SampleStoreOptions Options = new() { ItemCount = 300, UserCount = 100, InteractionCount = 5000 };

    private static readonly Lazy<Task<string>> Generated = new(GenerateAsync);

    /// <summary>A user id of the generated store.</summary>
    public const string KnownUser = "u00001";

    /// <summary>An item id the generated catalog holds.</summary>
    public const string KnownItem = "i00001";

    public static async Task CopyToAsync(string directory)
    {
        var source = await Generated.Value;
        Directory.CreateDirectory(directory);
        foreach (var file in new[] { CatalogFile, InteractionsFile })
        {
            File.Copy(Path.Combine(source, file), Path.Combine(directory, file), overwrite: true);
        }
    }

    private static async Task<string> GenerateAsync()
    {
        var directory = Path.Combine(TestDirectories.Root, "sample-store");
        await new SampleDataFiles(directory).WriteAsync(SampleStoreGenerator.Generate(Options), CancellationToken.None);
        return directory;
    }
}
