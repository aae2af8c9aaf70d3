using System.CommandLine;
using Personalization.Silo.Hosting;

namespace Personalization.Silo.Commands;

internal static class ServeCommand
{
    public static Option<string?> ConfigOption { get; } = new("--config") { Description = "A personalization-apis configuration file (default: the embedded sample store). Hot-reloaded." };

    public static Option<string?> UrlsOption { get; } = new("--urls") { Description = $"Where to listen (default {SiloOptions.DefaultUrl})." };

    public static IReadOnlyList<Option> Options => [ConfigOption, UrlsOption];

    /// <summary>
    /// How the command line is run. System.CommandLine would handle SIGTERM itself and let the process die 2 s later
    /// (exit 143), cutting short the graceful shutdown Kubernetes allows for (grain deactivation with state writes,
    /// leaving membership, event drain: `DOTNET_shutdownTimeoutSeconds`). Without its handler the host's own lifetime
    /// takes SIGTERM and stops within its shutdown timeout. Found by the rolling-restart drill under load.
    /// </summary>
    public static InvocationConfiguration Invocation { get; } = new() { ProcessTerminationTimeout = null };

    public static Command Create()
    {
        // Settings may follow as `--Cluster:Provider=redis` and the like (host configuration), so unknown tokens pass.
        var command = new Command("serve", "Run the silo: REST API, grains and event fan-out (the default command).") { TreatUnmatchedTokensAsErrors = false };
        foreach (var option in Options)
        {
            command.Options.Add(option);
        }

        command.SetAction(RunAsync);
        return command;
    }

    public static async Task<int> RunAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var args = new List<string>();
        if (parseResult.GetValue(ConfigOption) is { } config)
        {
            args.Add($"--Config:Path={config}");
        }

        if (parseResult.GetValue(UrlsOption) is { } urls)
        {
            args.Add($"--urls={urls}");
        }

        WebApplication app;
        try
        {
            app = await SiloApplication.BuildAsync([.. args, .. parseResult.UnmatchedTokens], cancellationToken: cancellationToken);
        }
        catch (SiloConfigurationException exception)
        {
            // One clear line for the operator, not a stack trace.
            await Console.Error.WriteLineAsync("personalization silo: " + exception.Message);
            return 2;
        }

        await app.RunAsync(cancellationToken);
        return 0;
    }
}
