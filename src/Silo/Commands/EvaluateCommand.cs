using System.CommandLine;
using System.Globalization;
using Personalization.Grains.Catalog;
using Personalization.Grains.Recommenders.BuiltIn;
using Personalization.Grains.Recommenders.BuiltIn.Evaluation;
using Personalization.Grains.Recommenders.BuiltIn.Interactions;
using Personalization.Grains.Samples;
using Spectre.Console;

namespace Personalization.Silo.Commands;

/// <summary><c>evaluate</c>: offline time-split evaluation of the built-in recommender.</summary>
internal static class EvaluateCommand
{
    private static readonly Option<string?> InteractionsOption = new("--interactions") { Description = "Interactions CSV (Personalize schema, optionally .gz). Default: the generated sample store." };
    private static readonly Option<string?> CatalogOption = new("--catalog") { Description = "Catalog JSON Lines (optionally .gz). Default: the generated sample store." };
    private static readonly Option<double> HoldoutDaysOption = new("--holdout-days") { Description = "Days at the end held out as the test period.", DefaultValueFactory = _ => 7 };
    private static readonly Option<int> KOption = new("--k") { Description = "Cut-off rank for hit rate and NDCG.", DefaultValueFactory = _ => 10 };
    private static readonly Option<int?> NeighboursOption = new("--neighbours") { Description = "Neighbours kept per item (default from BuiltInRecommenderOptions)." };
    private static readonly Option<int?> MinSupportOption = new("--min-support") { Description = "Minimum users sharing two items for a similarity." };
    private static readonly Option<int?> WindowOption = new("--window") { Description = "Co-occurrence window in distinct items." };
    private static readonly Option<double?> HistoryHalfLifeOption = new("--history-half-life-days") { Description = "Half-life of a history event's weight, in days." };
    private static readonly Option<double?> PopularityHalfLifeOption = new("--popularity-half-life-days") { Description = "Half-life of trending popularity, in days." };

    public static Command Create()
    {
        var command = new Command("evaluate", "Train the built-in recommender on the past and measure hit-rate@K, NDCG@K and coverage on the held-out future.");
        foreach (var option in new Option[] { InteractionsOption, CatalogOption, HoldoutDaysOption, KOption, NeighboursOption, MinSupportOption, WindowOption, HistoryHalfLifeOption, PopularityHalfLifeOption })
        {
            command.Options.Add(option);
        }

        command.SetAction(RunAsync);
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var interactionsPath = parseResult.GetValue(InteractionsOption);
        var catalogPath = parseResult.GetValue(CatalogOption);
        if (interactionsPath is null || catalogPath is null)
        {
            var samples = new SampleDataFiles(SampleDataFiles.DefaultDirectory());
            if (await samples.EnsureAsync(new SampleStoreOptions(), cancellationToken))
            {
                AnsiConsole.MarkupLineInterpolated($"Generated the sample store in [green]{samples.Directory}[/]");
            }

            interactionsPath ??= samples.InteractionsPath;
            catalogPath ??= samples.CatalogPath;
        }

        foreach (var path in new[] { interactionsPath, catalogPath })
        {
            if (!File.Exists(path))
            {
                AnsiConsole.MarkupLineInterpolated($"[red]File not found: {path}[/]");
                return 2;
            }
        }

        var recommender = new BuiltInRecommenderOptions();
        recommender.NeighboursPerItem = parseResult.GetValue(NeighboursOption) ?? recommender.NeighboursPerItem;
        recommender.MinSupport = parseResult.GetValue(MinSupportOption) ?? recommender.MinSupport;
        recommender.CooccurrenceWindow = parseResult.GetValue(WindowOption) ?? recommender.CooccurrenceWindow;
        recommender.HistoryHalfLife = parseResult.GetValue(HistoryHalfLifeOption) is { } history ? TimeSpan.FromDays(history) : recommender.HistoryHalfLife;
        recommender.PopularityHalfLife = parseResult.GetValue(PopularityHalfLifeOption) is { } popularity ? TimeSpan.FromDays(popularity) : recommender.PopularityHalfLife;
        var options = new EvaluationOptions { HoldoutDays = parseResult.GetValue(HoldoutDaysOption), K = parseResult.GetValue(KOption), Recommender = recommender };
        try
        {
            recommender.Validate();
            if (!(options.HoldoutDays > 0) || options.K < 1)
            {
                throw new ArgumentException("--holdout-days must be positive and --k at least 1.");
            }
        }
        catch (ArgumentException exception)
        {
            AnsiConsole.MarkupLineInterpolated($"[red]{exception.Message}[/]");
            return 2;
        }

        var catalog = await CatalogReader.LoadAsync(catalogPath, cancellationToken);
        var interactions = await InteractionsCsvReader.LoadAsync(interactionsPath, cancellationToken);
        ReportErrors(catalogPath, catalog.Errors);
        ReportErrors(interactionsPath, interactions.Errors);
        AnsiConsole.MarkupLineInterpolated($"Loaded {catalog.Catalog.Count:N0} items and {interactions.Interactions.Count:N0} interactions.");

        EvaluationReport report;
        try
        {
            report = await AnsiConsole.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                .StartAsync(context =>
                {
                    var training = context.AddTask("training");
                    var scoring = context.AddTask("scoring users");
                    var progress = new SynchronousProgress(p =>
                    {
                        var task = p.Stage == "training" ? training : scoring;
                        task.MaxValue = Math.Max(1, p.Total);
                        task.Value = p.Done;
                    });
                    return Task.Run(() => OfflineEvaluator.Evaluate(interactions.Interactions, catalog.Catalog, options, progress, cancellationToken), cancellationToken);
                });
        }
        catch (ArgumentException exception)
        {
            AnsiConsole.MarkupLineInterpolated($"[red]{exception.Message}[/]");
            return 2;
        }

        AnsiConsole.MarkupLineInterpolated(
            $"Split at {report.SplitAt:u}: {report.TrainInteractions:N0} training and {report.TestInteractions:N0} test interactions, {report.TestUsers:N0} test users; trained in {report.TrainingTime.TotalSeconds:F2} s.");
        var table = new Table().AddColumns("algorithm", $"hit-rate@{options.K}", $"NDCG@{options.K}", "coverage", "users");
        foreach (var metrics in report.Algorithms)
        {
            table.AddRow(
                metrics.Algorithm,
                metrics.HitRate.ToString("F4", CultureInfo.InvariantCulture),
                metrics.Ndcg.ToString("F4", CultureInfo.InvariantCulture),
                metrics.Coverage.ToString("P1", CultureInfo.InvariantCulture),
                metrics.Users.ToString("N0", CultureInfo.InvariantCulture));
        }

        AnsiConsole.Write(table);
        return 0;
    }

    private static void ReportErrors(string path, IReadOnlyList<DataFileError> errors)
    {
        foreach (var error in errors.Take(10))
        {
            AnsiConsole.MarkupLineInterpolated($"[yellow]{path}: {error}[/]");
        }

        if (errors.Count > 10)
        {
            AnsiConsole.MarkupLineInterpolated($"[yellow]{path}: {errors.Count - 10:N0} more rejected lines[/]");
        }
    }

    /// <summary>Progress&lt;T&gt; posts to the thread pool; this reports inline so the bar never lags the work.</summary>
    private sealed class SynchronousProgress(Action<EvaluationProgress> report) : IProgress<EvaluationProgress>
    {
        public void Report(EvaluationProgress value) => report(value);
    }
}
