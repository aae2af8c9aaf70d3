using System.CommandLine;
using System.Diagnostics;
using Personalization.Grains.Samples;
using Spectre.Console;

namespace Personalization.Silo.Commands;

/// <summary><c>samples generate</c>: writes the sample store's catalog and interactions files.</summary>
internal static class SamplesCommand
{
    private static readonly Option<string?> OutputOption = new("--output") { Description = "Directory to write into (default: samples/generated under the repository)." };
    private static readonly Option<int> SeedOption = new("--seed") { Description = "Random seed; the same seed gives the same files.", DefaultValueFactory = _ => new SampleStoreOptions().Seed };
    private static readonly Option<int> ItemsOption = new("--items") { Description = "Number of items.", DefaultValueFactory = _ => new SampleStoreOptions().ItemCount };
    private static readonly Option<int> UsersOption = new("--users") { Description = "Number of users.", DefaultValueFactory = _ => new SampleStoreOptions().UserCount };
    private static readonly Option<int> InteractionsOption = new("--interactions") { Description = "Approximate number of interactions.", DefaultValueFactory = _ => new SampleStoreOptions().InteractionCount };
    private static readonly Option<bool> PlainCsvOption = new("--plain-csv") { Description = "Write interactions.csv uncompressed plus items.csv in the Personalize items schema (what an Amazon Personalize import job accepts)." };

    public static Command Create()
    {
        var generate = new Command("generate", "Generate the sample store: items.jsonl.gz (catalog) and interactions.csv[.gz] (Personalize schema).");
        foreach (var option in new Option[] { OutputOption, SeedOption, ItemsOption, UsersOption, InteractionsOption, PlainCsvOption })
        {
            generate.Options.Add(option);
        }

        generate.SetAction(GenerateAsync);
        var samples = new Command("samples", "Sample data for the built-in recommender.");
        samples.Subcommands.Add(generate);
        return samples;
    }

    private static async Task<int> GenerateAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var options = new SampleStoreOptions
        {
            Seed = parseResult.GetValue(SeedOption),
            ItemCount = parseResult.GetValue(ItemsOption),
            UserCount = parseResult.GetValue(UsersOption),
            InteractionCount = parseResult.GetValue(InteractionsOption),
        };
        try
        {
            options.Validate();
        }
        catch (ArgumentException exception)
        {
            AnsiConsole.MarkupLineInterpolated($"[red]{exception.Message}[/]");
            return 2;
        }

        var files = new SampleDataFiles(parseResult.GetValue(OutputOption) ?? SampleDataFiles.DefaultDirectory(), compressInteractions: !parseResult.GetValue(PlainCsvOption));
        var stopwatch = Stopwatch.StartNew();
        var store = SampleStoreGenerator.Generate(options);
        await files.WriteAsync(store, cancellationToken);
        AnsiConsole.MarkupLineInterpolated($"Wrote {store.Items.Count:N0} items to [green]{files.CatalogPath}[/]");
        if (parseResult.GetValue(PlainCsvOption))
        {
            AnsiConsole.MarkupLineInterpolated($"Wrote the Personalize items dataset to [green]{files.PersonalizeItemsPath}[/]");
        }

        AnsiConsole.MarkupLineInterpolated($"Wrote {store.Interactions.Count:N0} interactions to [green]{files.InteractionsPath}[/] in {stopwatch.Elapsed.TotalSeconds:F1} s");
        return 0;
    }
}
