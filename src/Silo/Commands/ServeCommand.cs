using System.CommandLine;

namespace Personalization.Silo.Commands;

internal static class ServeCommand
{
    public static Option<string?> ConfigOption { get; } = new("--config") { Description = "Path to a personalization-apis configuration document (default: the embedded sample)." };

    public static IReadOnlyList<Option> Options => [ConfigOption];

    public static Command Create()
    {
        var command = new Command("serve", "Run the silo: REST API, grains and event fan-out.");
        foreach (var option in Options)
        {
            command.Options.Add(option);
        }

        command.SetAction(RunAsync);
        return command;
    }

    public static Task<int> RunAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        Console.WriteLine("not yet");
        return Task.FromResult(0);
    }
}
