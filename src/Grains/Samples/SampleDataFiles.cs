using Personalization.Grains.Catalog;
using Personalization.Grains.Recommenders.BuiltIn.Interactions;

namespace Personalization.Grains.Samples;

/// <summary>Where the generated sample files live, and writing them (they are generated, not checked in).</summary>
public sealed class SampleDataFiles(string directory, bool compressInteractions = true)
{
    public const string CatalogFileName = "items.jsonl.gz";

    public string Directory { get; } = directory;

    public string CatalogPath => Path.Combine(Directory, CatalogFileName);

    /// <summary>Gzip by default; plain CSV is what an Amazon Personalize import job accepts.</summary>
    public string InteractionsPath => Path.Combine(Directory, compressInteractions ? "interactions.csv.gz" : "interactions.csv");

    /// <summary>Items in Personalize's items-dataset CSV schema, written alongside the plain interactions CSV.</summary>
    public string PersonalizeItemsPath => Path.Combine(Directory, "items.csv");

    public bool Exist => File.Exists(CatalogPath) && File.Exists(InteractionsPath);

    /// <summary><c>samples/generated</c> under the repository root found from the working directory, else under it.</summary>
    public static string DefaultDirectory()
    {
        for (var directory = new DirectoryInfo(Environment.CurrentDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Personalization.sln")))
            {
                return Path.Combine(directory.FullName, "samples", "generated");
            }
        }

        return Path.Combine(Environment.CurrentDirectory, "samples", "generated");
    }

    public async Task WriteAsync(SampleStore store, CancellationToken cancellationToken)
    {
        System.IO.Directory.CreateDirectory(Directory);
        await WriteCatalogAsync(CatalogPath, store.Items, cancellationToken).ConfigureAwait(false);
        await InteractionsCsvWriter.WriteAsync(InteractionsPath, store.Interactions, cancellationToken).ConfigureAwait(false);
        if (!compressInteractions)
        {
            await WritePersonalizeItemsAsync(PersonalizeItemsPath, store.Items, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Generates and writes the files unless they already exist.</summary>
    public async Task<bool> EnsureAsync(SampleStoreOptions options, CancellationToken cancellationToken)
    {
        if (Exist)
        {
            return false;
        }

        await WriteAsync(SampleStoreGenerator.Generate(options), cancellationToken).ConfigureAwait(false);
        return true;
    }

    private static async Task WritePersonalizeItemsAsync(string path, IEnumerable<SampleItem> items, CancellationToken cancellationToken)
    {
        await using var stream = DataFileStreams.CreateWrite(path);
        await using var writer = new StreamWriter(stream, new System.Text.UTF8Encoding(false));
        await writer.WriteLineAsync("ITEM_ID,CATEGORY_L1,CATEGORY_L2,BRAND,PRICE,CREATION_TIMESTAMP".AsMemory(), cancellationToken).ConfigureAwait(false);
        foreach (var item in items)
        {
            var line = string.Join(',', Quote(item.Id), Quote(item.Category), Quote(item.Subcategory), Quote(item.Brand),
                item.Price.ToString(System.Globalization.CultureInfo.InvariantCulture), item.LaunchedAt.ToString(System.Globalization.CultureInfo.InvariantCulture));
            await writer.WriteLineAsync(line.AsMemory(), cancellationToken).ConfigureAwait(false);
        }

        static string Quote(string value) => value.Contains(',') || value.Contains('"') ? "\"" + value.Replace("\"", "\"\"") + "\"" : value;
    }

    private static async Task WriteCatalogAsync(string path, IEnumerable<SampleItem> items, CancellationToken cancellationToken)
    {
        await using var stream = DataFileStreams.CreateWrite(path);
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(1024);
        var newline = "\n"u8.ToArray();
        foreach (var item in items)
        {
            buffer.ResetWrittenCount();
            SampleStore.WriteJson(item, buffer);
            await stream.WriteAsync(buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
            await stream.WriteAsync(newline, cancellationToken).ConfigureAwait(false);
        }
    }
}
