using System.CommandLine;
using Personalization.Silo.Commands;

// `serve` is the default: `dotnet run --project src/Silo` starts the silo on the embedded default.
var root = new RootCommand("Personalization cluster silo: serves recommendations, decorates them, collects events.") { TreatUnmatchedTokensAsErrors = false };
root.Subcommands.Add(ServeCommand.Create());
root.Subcommands.Add(EvaluateCommand.Create());
root.Subcommands.Add(SamplesCommand.Create());
root.Subcommands.Add(ConfigGenerateCommand.Create());
root.Subcommands.Add(CatalogCommand.Create());
root.SetAction((parseResult, cancellationToken) => ServeCommand.RunAsync(parseResult, cancellationToken));
foreach (var option in ServeCommand.Options)
{
    root.Options.Add(option);
}

return await root.Parse(args).InvokeAsync(ServeCommand.Invocation);
