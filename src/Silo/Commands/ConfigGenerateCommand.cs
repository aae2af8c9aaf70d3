using System.CommandLine;
using Personalization.Aws;
using Personalization.Aws.Configuration;
using Personalization.Grains.Configuration.Generation;
using Spectre.Console;

namespace Personalization.Silo.Commands;

/// <summary><c>config generate</c>: builds a configuration from the Amazon Personalize resources of dataset groups.</summary>
internal static class ConfigGenerateCommand
{
    private static readonly Option<string> DatasetGroupsOption = new("--dataset-groups")
    {
        Description = "Dataset group names, comma-separated, or 'all' for every dataset group in the account and region.",
        Required = true,
    };

    private static readonly Option<string?> OutputOption = new("--output") { Description = "File to write (default: print to standard output)." };
    private static readonly Option<string?> RegionOption = new("--region") { Description = "AWS region (default: AWS_REGION, the profile, or instance metadata)." };
    private static readonly Option<string?> EndpointOption = new("--endpoint-url") { Description = "Personalize control-plane endpoint override (a local server or VPC endpoint)." };
    private static readonly Option<bool> AttachFiltersOption = new("--attach-filters")
    {
        Description = "List each dataset group's active filters on its variations. Off by default: the first configured filter applies to every request that names none.",
    };

    public static Command Create()
    {
        var generate = new Command("generate", "Generate a configuration from Amazon Personalize recommenders, campaigns and event trackers.");
        foreach (var option in new Option[] { DatasetGroupsOption, OutputOption, RegionOption, EndpointOption, AttachFiltersOption })
        {
            generate.Options.Add(option);
        }

        generate.SetAction(GenerateAsync);
        var config = new Command("config", "Configuration documents.");
        config.Subcommands.Add(generate);
        return config;
    }

    private static async Task<int> GenerateAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var errors = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        try
        {
            var request = ConfigGenerationRequest.Parse(parseResult.GetValue(DatasetGroupsOption) ?? string.Empty, parseResult.GetValue(AttachFiltersOption));
            var options = new AwsClientOptions { Region = parseResult.GetValue(RegionOption) };
            if (parseResult.GetValue(EndpointOption) is { Length: > 0 } endpoint)
            {
                options.ServiceUrls[AwsService.Personalize.EndpointPrefix] = Uri.TryCreate(endpoint, UriKind.Absolute, out var url)
                    ? url
                    : throw new ArgumentException($"--endpoint-url must be an absolute http(s) URL (was '{endpoint}').");
            }

            using var factory = new AwsClientFactory(options);
            var generated = await new PersonalizeConfigGenerator(factory.CreatePersonalizeClient()).GenerateAsync(request, cancellationToken);
            foreach (var warning in generated.Warnings)
            {
                errors.MarkupLineInterpolated($"[yellow]warning:[/] {warning}");
            }

            if (!generated.Validation.IsValid)
            {
                errors.MarkupLineInterpolated($"[red]The generated configuration does not validate:[/] {string.Join("; ", generated.Validation.Errors)}");
                return 1;
            }

            if (parseResult.GetValue(OutputOption) is { Length: > 0 } path)
            {
                await File.WriteAllBytesAsync(path, generated.Json.ToArray(), cancellationToken);
                errors.MarkupLineInterpolated($"Wrote [green]{path}[/] ({generated.Validation.Snapshot!.Namespaces.Count} namespace(s)).");
            }
            else
            {
                await using var stdout = Console.OpenStandardOutput();
                await stdout.WriteAsync(generated.Json, cancellationToken);
                await stdout.WriteAsync("\n"u8.ToArray(), cancellationToken);
            }

            return 0;
        }
        catch (Exception exception) when (exception is ConfigGenerationException or ArgumentException or InvalidOperationException or IOException or UnauthorizedAccessException)
        {
            errors.MarkupLineInterpolated($"[red]config generate:[/] {exception.Message}");
            return 2;
        }
    }
}
