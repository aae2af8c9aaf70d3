using System.CommandLine;
using Amazon.Runtime;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Personalization.Aws.Configuration;
using Personalization.Catalog.Aws;
using Personalization.Grains.Catalog;
using Personalization.Silo.Hosting;
using Spectre.Console;

namespace Personalization.Silo.Commands;

/// <summary>
/// <c>catalog load</c>: a JSON Lines catalog (optionally .gz; a local file or s3://) into the DynamoDB item-metadata
/// table of a namespace, as a full replacement. AWS settings come from the same environment as the silo
/// (<c>Aws__Region</c>, <c>Aws__ServiceUrls__dynamodb</c>, <c>Aws__ServiceUrls__s3</c>, <c>Aws__AccessKeyId</c>, ...) or
/// the command line (<c>--Aws:ServiceUrls:dynamodb=http://...</c>).
/// </summary>
internal static class CatalogCommand
{
    private static readonly Argument<string> SourceArgument = new("source")
    {
        Description = "The catalog: a local .jsonl[.gz] file, s3://bucket/key, or the staging prefix s3://bucket/import/{namespace}/ (its newest object).",
    };

    private static readonly Option<string?> NamespaceOption = new("--namespace", "-n") { Description = "Namespace key (default: taken from an s3://bucket/import/{namespace}/... source)." };
    private static readonly Option<string?> TableOption = new("--table") { Description = "Table name (default: Catalog__DynamoDB__TablePrefix + namespace = PersonalizationApiItemMetadata_{namespace})." };
    private static readonly Option<bool> DryRunOption = new("--dry-run") { Description = "Read and check the file and count what would be written and removed; write nothing." };
    private static readonly Option<bool> NoCreateOption = new("--no-create-table") { Description = "Fail when the table does not exist instead of creating it (key id, on-demand)." };
    private static readonly Option<int> ParallelismOption = new("--parallelism") { Description = "BatchWriteItem calls in flight.", DefaultValueFactory = _ => 4 };

    public static Command Create()
    {
        var load = new Command("load", "Load a JSON Lines catalog into the DynamoDB item-metadata table of a namespace (full replacement: items not in the file are removed once every item was written).");
        load.Arguments.Add(SourceArgument);
        foreach (var option in new Option[] { NamespaceOption, TableOption, DryRunOption, NoCreateOption, ParallelismOption })
        {
            load.Options.Add(option);
        }

        // Settings may also follow as --Aws:ServiceUrls:dynamodb=... (the environment's Aws__* names with ':'), as for `serve`.
        load.TreatUnmatchedTokensAsErrors = false;
        load.SetAction(LoadAsync);
        var catalog = new Command("catalog", "Item catalogs for decoration.");
        catalog.Subcommands.Add(load);
        return catalog;
    }

    private static async Task<int> LoadAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var errors = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        var settings = new ConfigurationBuilder().AddEnvironmentVariables().AddCommandLine([.. parseResult.UnmatchedTokens]).Build();
        var aws = new AwsClientOptions();
        settings.GetSection("Aws").Bind(aws);
        var sources = new CatalogSourceOptions();
        settings.GetSection("Catalog").Bind(sources);
        string? temporary = null;
        try
        {
            aws.Validate();
            sources.Validate();
            var source = parseResult.GetValue(SourceArgument) ?? string.Empty;
            var ns = parseResult.GetValue(NamespaceOption);
            var parallelism = parseResult.GetValue(ParallelismOption);
            if (parallelism is < 1 or > 64)
            {
                throw new ArgumentException($"--parallelism must be between 1 and 64 (was {parallelism}).");
            }

            string file;
            long? total = null;
            if (S3Location.IsS3(source))
            {
                if (!S3Location.TryParse(source, out var location, out var error))
                {
                    throw new ArgumentException(error);
                }

                using var s3 = AwsSdkClients.S3(aws);
                var reader = new S3ObjectReader(s3);
                if (location.IsPrefix)
                {
                    var newest = await reader.FindNewestAsync(location, cancellationToken) ?? throw new FileNotFoundException($"{location}: no object under this prefix");
                    location = location with { Key = newest.Key };
                }

                ns ??= StagingNamespace(location.Key);
                temporary = Path.Combine(Path.GetTempPath(), $"catalog-load-{Guid.NewGuid():N}");
                await using (var download = File.Create(temporary))
                {
                    var version = await reader.DownloadIfChangedAsync(location, null, download, cancellationToken);
                    total = version?.Length;
                }

                errors.MarkupLineInterpolated($"Downloaded [green]{location}[/] ({total:N0} bytes)");
                file = temporary;
            }
            else
            {
                file = Path.GetFullPath(source);
                if (!File.Exists(file))
                {
                    throw new FileNotFoundException($"{file}: no such file");
                }
            }

            if (string.IsNullOrWhiteSpace(ns))
            {
                throw new ArgumentException("--namespace is required (unless the source is s3://bucket/import/{namespace}/...).");
            }

            var options = new CatalogLoadOptions
            {
                TableName = parseResult.GetValue(TableOption) ?? sources.DynamoDB.TableName(ns),
                DryRun = parseResult.GetValue(DryRunOption),
                CreateTable = !parseResult.GetValue(NoCreateOption),
                Parallelism = parallelism,
            };
            using var dynamo = AwsSdkClients.DynamoDB(aws);
            var loader = new DynamoDBCatalogLoader(dynamo, TimeProvider.System, NullLogger<DynamoDBCatalogLoader>.Instance);
            CatalogLoadSummary? summary = null;
            await errors.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                .StartAsync(async context =>
                {
                    var task = context.AddTask(options.DryRun ? "checking" : $"loading {options.TableName}", maxValue: 1);
                    var progress = new Progress<CatalogLoadProgress>(p =>
                    {
                        task.MaxValue = Math.Max(1, p.TotalBytes);
                        task.Value = p.BytesRead;
                        task.Description = $"{(options.DryRun ? "checked" : "written")} {(options.DryRun ? p.ItemsRead : p.ItemsWritten):N0}";
                    });
                    summary = await loader.LoadAsync(file, options, progress, cancellationToken);
                    task.Value = task.MaxValue;
                });
            Print(errors, summary!);
            return summary!.Succeeded ? 0 : 1;
        }
        catch (Exception exception) when (exception is ArgumentException or IOException or InvalidOperationException or UnauthorizedAccessException)
        {
            errors.MarkupLineInterpolated($"[red]catalog load:[/] {exception.Message}");
            return 2;
        }
        catch (Exception exception) when (exception is AmazonServiceException or AmazonClientException or HttpRequestException or TimeoutException)
        {
            errors.MarkupLineInterpolated($"[red]catalog load:[/] AWS call failed: {exception.Message}");
            return 1;
        }
        finally
        {
            if (temporary is not null)
            {
                File.Delete(temporary);
            }
        }
    }

    /// <summary>The namespace of the original's staging layout, <c>import/{namespace}/file</c>.</summary>
    internal static string? StagingNamespace(string key)
    {
        var parts = key.Split('/');
        return parts.Length >= 3 && parts[0] == "import" && parts[1].Length > 0 ? parts[1] : null;
    }

    private static void Print(IAnsiConsole console, CatalogLoadSummary summary)
    {
        var verb = summary.DryRun ? "would write" : "written";
        console.MarkupLineInterpolated($"{summary.TableName}{(summary.TableCreated ? " (created)" : string.Empty)}: {summary.ItemsRead:N0} items read, {(summary.DryRun ? summary.ItemsRead : summary.ItemsWritten):N0} {verb}, {summary.BadLineCount:N0} bad lines, {summary.FailedItems.Count:N0} failed, {summary.Retries:N0} retries, {summary.Elapsed.TotalSeconds:F1} s");
        foreach (var bad in summary.BadLines.Take(20))
        {
            console.MarkupLineInterpolated($"  [yellow]bad[/] {bad}");
        }

        if (summary.BadLineCount > 20)
        {
            console.MarkupLineInterpolated($"  ... and {summary.BadLineCount - 20:N0} more bad lines");
        }

        foreach (var failed in summary.FailedItems.Take(20))
        {
            console.MarkupLineInterpolated($"  [red]failed[/] {failed}");
        }

        if (summary.FailedItems.Count > 20)
        {
            console.MarkupLineInterpolated($"  ... and {summary.FailedItems.Count - 20:N0} more failed items");
        }

        if (summary.StaleItems == 0)
        {
            console.MarkupLine("  no item of the table is missing from the file");
        }
        else if (summary.PurgeSkipped is { } reason)
        {
            console.MarkupLineInterpolated($"  [yellow]{summary.StaleItems:N0} items not in the file were kept:[/] {reason}");
        }
        else
        {
            console.MarkupLineInterpolated($"  {summary.StaleItems:N0} items not in the file {(summary.DryRun ? "would be removed" : $"removed ({summary.ItemsRemoved:N0}; {summary.FailedRemovals:N0} failed)")}");
        }
    }
}
